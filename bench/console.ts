/**
 * npm run bench:console -- --messages 1000000 [--data-dir D] [--runs 200]
 *   --data-dir keeps the store for later runs; --runs 0 only generates it.
 *
 * The console against a big store: generates `messages` mails over 30 days in a child process
 * (console/fill.ts; reuses the store in --data-dir when it already holds as many), opens it as the
 * app does (WAL, synchronous FULL), and times status.get, dashboard summary/series and message
 * search pages through the services.
 * Targets (issue 7): summary and series p95 under 50 ms, a search page p95 under 100 ms; issue 12:
 * status.get (also what every status.changed push computes) p95 under 5 ms, whatever the store holds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SettingsService } from '../src/main/config/settings';
import { ManualClock } from '../src/main/engine/clock';
import type { EngineContext } from '../src/main/engine/context';
import { EngineEvents } from '../src/main/engine/events';
import { Health } from '../src/main/engine/health';
import { silentLogger } from '../src/main/engine/logger';
import { QuotaLedger } from '../src/main/quota/ledger';
import { openStore, type Store } from '../src/main/store/store';
import { benchArgs, percentile } from './args';
import { type BenchCase, consoleCases } from './console/cases';
import { BENCH_NOW } from './console/generate';
import { Random } from './console/random';
import { sampleStore } from './console/sample';

const opts = benchArgs({ messages: '1000000', 'data-dir': '', runs: '200' });
const total = Number(opts.messages);
const runs = Number(opts.runs);
const TARGET_MS = { dashboard: 50, search: 100, status: 5 } as const;
const WARMUP_RUNS = 10;
/** A case stops early past this much time, so a slow query cannot hold the bench for hours. */
const CASE_BUDGET_MS = 30_000;

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

function printHeader(): void {
  const head = ['p50', 'p95', 'p99', 'max'].map((h) => h.padStart(8)).join('');
  console.log(`\n${'case'.padEnd(36)}${head}  items  (ms; ${runs} runs each)`);
}

/** One row per case, printed as soon as it is measured. */
function printRow({ c, sorted, items }: Timing): void {
  const ms = (n: number) => (n < 1000 ? n.toFixed(1) : n.toFixed(0)).padStart(8);
  const p95 = percentile(sorted, 95);
  const mark =
    (p95 < TARGET_MS[c.kind] ? '' : `  over ${TARGET_MS[c.kind]} ms`) +
    (sorted.length < runs ? `  (${sorted.length} runs: time budget)` : '');
  const cells =
    [50, 95, 99].map((p) => ms(percentile(sorted, p))).join('') + ms(sorted[sorted.length - 1] ?? 0);
  console.log(`${c.name.padEnd(36)}${cells}  ${items.toFixed(0).padStart(5)}${mark}`);
}

function printVerdicts(timings: Timing[]): boolean {
  let pass = true;
  for (const [kind, label] of [
    ['status', 'status.get'],
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

/** What the services need of the engine here: the store, the clock, settings, quota and health. */
function statusContext(store: Store, clock: ManualClock, dataDir: string): EngineContext {
  const ctx = {
    version: 'bench',
    startedAt: clock.now(),
    dataDir,
    store,
    clock,
    settings: new SettingsService(store.settings),
    health: new Health(clock, silentLogger),
    log: silentLogger,
    events: new EngineEvents(),
    smtp: { host: '127.0.0.1', port: 2525 },
    tls: () => ({
      key: '',
      cert: '',
      info: { fingerprint256: '', subject: 'bench', validTo: '', source: 'generated' },
    }),
  } as unknown as EngineContext;
  ctx.quota = new QuotaLedger(ctx);
  return ctx;
}

async function main(): Promise<void> {
  const keep = opts['data-dir'] !== '';
  const dataDir = keep ? opts['data-dir'] : mkdtempSync(join(tmpdir(), 'relaydesk-bench-console-'));
  mkdirSync(dataDir, { recursive: true });
  try {
    console.log(
      `bench:console  ${total.toLocaleString('en')} mails, ${runs} runs per case, store ${dataDir}`,
    );
    // process.argv[1] is this file (bench/run.mjs puts it there).
    const here = dirname(process.argv[1] ?? '');
    const filled = spawnSync(
      process.execPath,
      [
        join(here, 'run.mjs'),
        join(here, 'console', 'fill.ts'),
        '--messages',
        String(total),
        '--data-dir',
        dataDir,
      ],
      { stdio: 'inherit' },
    );
    if (filled.status !== 0) throw new Error('generating the store failed');
    if (runs === 0) return;
    const file = join(dataDir, 'relaydesk.db');
    const store = openStore(file);
    try {
      const clock = new ManualClock(BENCH_NOW);
      const ctx = statusContext(store, clock, dataDir);
      const random = new Random(42);
      const cases = consoleCases(ctx, clock, sampleStore(store, random, 1000));
      printHeader();
      const timings = cases.map((c) => {
        const timing = measure(c, random);
        printRow(timing);
        return timing;
      });
      const mib = (fileSize(file) + fileSize(`${file}-wal`)) / 1048576;
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
