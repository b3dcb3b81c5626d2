/**
 * npm run bench:console -- --messages 1000000 [--data-dir D] [--runs 200]
 *   --data-dir keeps the store for later runs; --runs 0 only generates it.
 *
 * The console against a big store: generates `messages` mails over 30 days (or reuses the store
 * in --data-dir when it already holds as many), reopens it as the app does (WAL, synchronous
 * FULL), and times dashboard summary/series and message search pages through the services.
 * Targets (issue 7): summary and series p95 under 50 ms, a search page p95 under 100 ms.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/main/engine/clock';
import type { EngineContext } from '../src/main/engine/context';
import { openStore } from '../src/main/store/store';
import { benchArgs, percentile } from './args';
import { type BenchCase, consoleCases } from './console/cases';
import { generateMail } from './console/generate';
import { Random } from './console/random';
import { sampleStore } from './console/sample';

const opts = benchArgs({ messages: '1000000', 'data-dir': '', runs: '200' });
const total = Number(opts.messages);
const runs = Number(opts.runs);
/** The generation's "now": fixed, so a kept store and a later run agree on what "today" is. */
const NOW = Date.UTC(2026, 5, 15, 14, 30);
const TARGET_MS = { dashboard: 50, search: 100 } as const;
const WARMUP_RUNS = 10;
/** A case stops early past this much time, so a slow query cannot hold the bench for hours. */
const CASE_BUDGET_MS = 30_000;

function prepareStore(dataDir: string): void {
  const store = openStore(join(dataDir, 'relaydesk.db'));
  try {
    const held = store.messages.countMessages();
    if (held >= total) {
      console.log(`store in ${dataDir} holds ${held.toLocaleString('en')} mails; no generation`);
      return;
    }
    if (held > 0) {
      throw new Error(
        `${dataDir} holds ${held} mails, fewer than ${total}; remove it or give another --data-dir`,
      );
    }
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    generateMail(store, {
      messages: total,
      now: NOW,
      onProgress: (done, all) => {
        if (done % 100_000 === 0 || done === all) {
          console.log(
            `  generated ${done.toLocaleString('en')} / ${all.toLocaleString('en')} mails  ${seconds().toFixed(0)} s  (${Math.round(done / seconds())}/s)`,
          );
        }
      },
    });
    console.log(`generation: ${total.toLocaleString('en')} mails in ${seconds().toFixed(1)} s`);
  } finally {
    store.close();
  }
}

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

interface Timing {
  c: BenchCase;
  sorted: number[];
  items: number;
}

function measure(c: BenchCase, random: Random): Timing {
  const warmupEnd = performance.now() + CASE_BUDGET_MS / 6;
  for (let i = 0; i < WARMUP_RUNS && performance.now() < warmupEnd; i++) c.run(random);
  const times: number[] = [];
  let items = 0;
  const end = performance.now() + CASE_BUDGET_MS;
  for (let i = 0; i < runs && performance.now() < end; i++) {
    const t0 = performance.now();
    items += c.run(random);
    times.push(performance.now() - t0);
  }
  return { c, sorted: times.sort((a, b) => a - b), items: items / times.length };
}

function printTable(timings: Timing[]): void {
  const ms = (n: number) => n.toFixed(1).padStart(7);
  console.log(
    `\n${'case'.padEnd(36)}${'p50'.padStart(7)}${'p95'.padStart(7)}${'p99'.padStart(7)}${'max'.padStart(7)}  items  (ms; ${runs} runs each)`,
  );
  for (const { c, sorted, items } of timings) {
    const p95 = percentile(sorted, 95);
    const mark =
      (p95 < TARGET_MS[c.kind] ? '' : `  over ${TARGET_MS[c.kind]} ms`) +
      (sorted.length < runs ? `  (${sorted.length} runs: time budget)` : '');
    console.log(
      `${c.name.padEnd(36)}${ms(percentile(sorted, 50))}${ms(p95)}${ms(percentile(sorted, 99))}${ms(sorted[sorted.length - 1] ?? 0)}  ${items.toFixed(0).padStart(5)}${mark}`,
    );
  }
}

function printVerdicts(timings: Timing[]): boolean {
  let pass = true;
  for (const [kind, label] of [
    ['dashboard', 'summary/series'],
    ['search', 'search page'],
  ] as const) {
    const mine = timings.filter((t) => t.c.kind === kind);
    const worst = mine.reduce((a, b) => (percentile(b.sorted, 95) > percentile(a.sorted, 95) ? b : a));
    const p95 = percentile(worst.sorted, 95);
    const ok = p95 < TARGET_MS[kind];
    pass &&= ok;
    console.log(
      `${ok ? 'PASS' : 'FAIL'}  ${label} p95 < ${TARGET_MS[kind]} ms: worst ${p95.toFixed(1)} ms (${worst.c.name})`,
    );
  }
  return pass;
}

async function main(): Promise<void> {
  const keep = opts['data-dir'] !== '';
  const dataDir = keep ? opts['data-dir'] : mkdtempSync(join(tmpdir(), 'relaydesk-bench-console-'));
  mkdirSync(dataDir, { recursive: true });
  try {
    console.log(
      `bench:console  ${total.toLocaleString('en')} mails, ${runs} runs per case, store ${dataDir}`,
    );
    prepareStore(dataDir);
    if (runs === 0) return;
    const file = join(dataDir, 'relaydesk.db');
    const opened = performance.now();
    const store = openStore(file);
    console.log(
      `store opened in ${((performance.now() - opened) / 1000).toFixed(1)} s (pending migrations included)`,
    );
    try {
      const clock = new ManualClock(NOW);
      const ctx = { store, clock } as unknown as EngineContext;
      const random = new Random(42);
      const cases = consoleCases(ctx, clock, sampleStore(store, random, 1000));
      const timings = cases.map((c) => measure(c, random));
      const mib = (fileSize(file) + fileSize(`${file}-wal`)) / 1048576;
      printTable(timings);
      console.log(
        `\nstore: ${store.messages.countMessages().toLocaleString('en')} mails, ${mib.toFixed(0)} MiB (relaydesk.db + wal)`,
      );
      if (!printVerdicts(timings)) process.exitCode = 1;
    } finally {
      store.close();
    }
  } finally {
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
    else console.log(`store kept in ${dataDir}`);
  }
}

export const done = main().catch((err) => {
  console.error(err);
  process.exit(1);
});
