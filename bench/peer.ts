/**
 * npm run bench:peer -- [--pooled 20000] [--connections 20] [--single 2000] [--fresh 300] [--big 25m]
 *                       [--size 5k] [--targets relaydesk,postfix-dkim,postfix]
 *                       [--cases pooled,single,fresh,big] [--wait 600] [--postfix-tls-reuse no]
 *
 * Relaydesk side by side with Postfix + OpenDKIM and Postfix alone (Debian's packages, a
 * throw-away instance in a temporary folder, see peer/postfix.ts). The same nodemailer load
 * (STARTTLS + AUTH, the same mails) goes to each target in turn, and every target delivers into
 * the same in-process sink:
 *   pooled  `--connections` pooled client connections, `--pooled` mails: accepted/s, delivered/s
 *           (mails at the sink ÷ time to the last arrival), peak memory of the target's processes
 *   single  one client connection, `--single` mails one after the other: p50/p99 send → 250, mails/s
 *   fresh   a new connection per mail (PHPMailer's way), `--fresh` mails: mails/s
 *   big     one `--big` mail: time to 250 and to delivery, memory growth
 * After each case the bench waits (at most `--wait` seconds) until all its mails are at the sink.
 * Postfix keeps its defaults except where the scenario needs otherwise; `--postfix-tls-reuse yes`
 * turns on smtp_tls_connection_reuse (several deliveries per TLS connection, off by default).
 * Needs root and `apt-get install -y postfix opendkim opendkim-tools sasl2-bin libsasl2-modules`
 * for the Postfix targets; without them it runs Relaydesk alone (or exits 2 if only peers were asked for).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSink } from '../test/helpers/sink';
import { benchArgs, parseSize } from './args';
import { cleanupAll, installCleanupHandlers, onCleanup } from './peer/cleanup';
import {
  type BigResult,
  bigCase,
  type FreshResult,
  freshCase,
  MailFactory,
  type PooledResult,
  pooledCase,
  type SingleResult,
  singleCase,
  verifyTarget,
} from './peer/load';
import {
  INSTALL_LINE,
  makePeerFiles,
  missingPackages,
  type PeerFiles,
  peerVersions,
  startPostfix,
} from './peer/postfix';
import { type Memory, machineLine, memoryOf, sampleMemory } from './peer/procs';
import { startRelaydesk } from './peer/relaydesk';
import { type Row, renderTable } from './peer/table';
import { TARGET_LABELS, TARGETS, type Target, type TargetKey } from './peer/target';

const CASES = ['pooled', 'single', 'fresh', 'big'] as const;
type CaseKey = (typeof CASES)[number];

const opts = benchArgs({
  pooled: '20000',
  connections: '20',
  single: '2000',
  fresh: '300',
  big: '25m',
  size: '5k',
  targets: TARGETS.join(','),
  cases: CASES.join(','),
  wait: '600',
  'postfix-tls-reuse': 'no',
});
const counts = { pooled: Number(opts.pooled), single: Number(opts.single), fresh: Number(opts.fresh) };
const connections = Number(opts.connections);
const bigBytes = parseSize(opts.big);
const bigLabel = `${Number((bigBytes / 2 ** 20).toFixed(2))} MiB`;
const size = parseSize(opts.size);
const waitMs = Number(opts.wait) * 1000;
const tlsReuse = /^(yes|true|1)$/i.test(opts['postfix-tls-reuse']);

function list<T extends string>(text: string, known: readonly T[], what: string): T[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items)
    if (!known.includes(item as T)) throw new Error(`unknown ${what} "${item}"; known: ${known.join(', ')}`);
  return known.filter((k) => items.includes(k));
}

let targets = list(opts.targets, TARGETS, 'target');
const cases = list(opts.cases, CASES, 'case').filter((c) => c === 'big' || counts[c] > 0);

interface Results {
  check: string;
  pooled?: PooledResult & { memory: Memory; sinkConnections: number; loop?: { p99: number; max: number } };
  single?: SingleResult;
  fresh?: FreshResult;
  big?: BigResult & { rssGrowth: number; heapGrowth?: number; heapAllGrowth?: number };
}

const log = (line: string) => console.error(`bench:peer: ${line}`);
const mib = (bytes: number) => bytes / 2 ** 20;

/** Postfix needs root and the Debian packages; without them only Relaydesk runs (exit 2 if only peers were asked for). */
function checkPeers(): void {
  if (!targets.some((t) => t !== 'relaydesk')) return;
  const missing = missingPackages();
  const why = missing.length
    ? `missing Debian packages (${missing.join(', ')}); install them with: ${INSTALL_LINE}`
    : process.getuid?.() !== 0
      ? 'Postfix needs root (it starts as root and drops to the postfix user); run the bench as root'
      : '';
  if (!why) return;
  console.error(why);
  if (!targets.includes('relaydesk')) process.exit(2);
  log('running the Relaydesk target only');
  targets = ['relaydesk'];
}

async function runTarget(
  key: TargetKey,
  start: () => Promise<Target>,
  sink: Awaited<ReturnType<typeof startSink>>,
): Promise<Results> {
  const mails = new MailFactory(size);
  log(`${TARGET_LABELS[key]}: starting`);
  const target = await start();
  try {
    const results: Results = { check: await verifyTarget(target, sink, mails) };
    log(`${TARGET_LABELS[key]}: a check mail ${results.check}`);
    for (const c of cases) {
      if (c === 'pooled') {
        const sampler = sampleMemory(target.pids, 200);
        const sinkConnections = sink.connections;
        await target.heap?.();
        const r = await pooledCase(target, sink, mails, counts.pooled, connections, waitMs);
        const reading = await target.heap?.();
        results.pooled = {
          ...r,
          memory: sampler.stop(),
          sinkConnections: sink.connections - sinkConnections,
          loop: reading && { p99: reading.loopP99Ms, max: reading.loopMaxMs },
        };
        log(
          `${TARGET_LABELS[key]}: pooled ${r.acceptedPerSecond.toFixed(0)} accepted/s, ${r.deliveredPerSecond.toFixed(0)} delivered/s (${r.arrived}/${r.sent} at the sink), peak RSS ${mib(results.pooled.memory.rss).toFixed(0)} MiB${reading ? `, event-loop delay p99 ${reading.loopP99Ms.toFixed(1)} ms, max ${reading.loopMaxMs.toFixed(1)} ms` : ''}`,
        );
      } else if (c === 'single') {
        const r = await singleCase(target, sink, mails, counts.single, waitMs);
        results.single = r;
        log(
          `${TARGET_LABELS[key]}: single p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.perSecond.toFixed(0)} mails/s (${r.arrived}/${r.sent} at the sink)`,
        );
      } else if (c === 'fresh') {
        const r = await freshCase(target, sink, mails, counts.fresh, waitMs);
        results.fresh = r;
        log(
          `${TARGET_LABELS[key]}: fresh ${r.perSecond.toFixed(1)} mails/s (${r.arrived}/${r.sent} at the sink)`,
        );
      } else {
        const big = new MailFactory(bigBytes, 'attachment');
        const heapBefore = await target.heap?.();
        const rssBefore = memoryOf(target.pids(), false).rss;
        const sampler = sampleMemory(target.pids, 50, false);
        const r = await bigCase(target, sink, mails, big, waitMs);
        const peak = sampler.stop();
        const heapAfter = await target.heap?.();
        results.big = {
          ...r,
          rssGrowth: peak.rss - rssBefore,
          heapGrowth: heapBefore && heapAfter ? heapAfter.peakHeap - heapBefore.heap : undefined,
          heapAllGrowth: heapBefore && heapAfter ? heapAfter.peakAll - heapBefore.all : undefined,
        };
        log(
          `${TARGET_LABELS[key]}: ${bigLabel} mail, 250 after ${r.to250.toFixed(2)} s, at the sink after ${r.toDelivery.toFixed(2)} s`,
        );
      }
    }
    return results;
  } finally {
    await target.stop();
    log(`${TARGET_LABELS[key]}: stopped`);
  }
}

function rows(results: Partial<Record<TargetKey, Results>>): { rows: Row[]; notes: string[] } {
  const pick = (f: (r: Results) => number | undefined) => {
    const values: Partial<Record<TargetKey, number>> = {};
    for (const t of TARGETS) {
      const r = results[t];
      const v = r && f(r);
      if (v !== undefined) values[t] = v;
    }
    return values;
  };
  const notes: string[] = [];
  const incomplete = (c: CaseKey) => {
    const suffix: Partial<Record<TargetKey, string>> = {};
    for (const t of TARGETS) {
      const r = results[t]?.[c];
      if (r && r.arrived < r.sent) {
        suffix[t] = ' (!)';
        notes.push(
          `(!) ${TARGET_LABELS[t]}, ${c}: only ${r.arrived} of ${r.sent} mails reached the sink within ${opts.wait} s`,
        );
      }
    }
    return suffix;
  };
  const n = (x: number) => x.toLocaleString('en-US');
  const out: Row[] = [];
  if (cases.includes('pooled')) {
    const c = `${connections} pooled connections, ${n(counts.pooled)} mails`;
    out.push(
      {
        case: c,
        figure: 'delivered/s',
        better: 'higher',
        digits: 0,
        values: pick((r) => r.pooled?.deliveredPerSecond),
        suffix: incomplete('pooled'),
      },
      {
        case: c,
        figure: 'accepted/s',
        better: 'higher',
        digits: 0,
        values: pick((r) => r.pooled?.acceptedPerSecond),
      },
      {
        case: c,
        figure: 'connections to the sink',
        digits: 0,
        noRatio: true,
        values: pick((r) => r.pooled?.sinkConnections),
      },
    );
  }
  if (cases.includes('single')) {
    const c = `1 connection, ${n(counts.single)} mails`;
    out.push(
      {
        case: c,
        figure: 'p50 send → 250, ms',
        better: 'lower',
        digits: 1,
        values: pick((r) => r.single?.p50),
      },
      {
        case: c,
        figure: 'p99 send → 250, ms',
        better: 'lower',
        digits: 1,
        values: pick((r) => r.single?.p99),
      },
      {
        case: c,
        figure: 'mails/s',
        better: 'higher',
        digits: 0,
        values: pick((r) => r.single?.perSecond),
        suffix: incomplete('single'),
      },
    );
  }
  if (cases.includes('fresh'))
    out.push({
      case: `new connection per mail, ${n(counts.fresh)} mails`,
      figure: 'mails/s',
      better: 'higher',
      digits: 1,
      values: pick((r) => r.fresh?.perSecond),
      suffix: incomplete('fresh'),
    });
  if (cases.includes('big')) {
    const c = `one ${bigLabel} mail`;
    out.push(
      { case: c, figure: 'time to 250, s', better: 'lower', digits: 2, values: pick((r) => r.big?.to250) },
      {
        case: c,
        figure: 'time to delivery, s',
        better: 'lower',
        digits: 2,
        values: pick((r) => r.big?.toDelivery),
        suffix: incomplete('big'),
      },
      {
        case: c,
        figure: 'peak RSS growth, MiB',
        better: 'lower',
        digits: 0,
        noRatio: true,
        values: pick((r) => r.big && mib(r.big.rssGrowth)),
      },
      {
        case: c,
        figure: 'V8 heap growth, MiB (with Buffers)',
        digits: 1,
        values: pick((r) => (r.big?.heapGrowth === undefined ? undefined : mib(r.big.heapGrowth))),
      },
    );
    const heapRow = out[out.length - 1] as Row;
    heapRow.suffix = {};
    for (const t of TARGETS) {
      const all = results[t]?.big?.heapAllGrowth;
      if (all !== undefined) heapRow.suffix[t] = ` (${mib(all).toFixed(1)})`;
    }
  }
  if (cases.includes('pooled')) {
    const c = `during the ${connections}-connection run`;
    const procs: Partial<Record<TargetKey, string>> = {};
    for (const t of TARGETS) {
      const m = results[t]?.pooled?.memory;
      if (m) procs[t] = ` (${m.processes} proc.)`;
    }
    out.push(
      {
        case: c,
        figure: 'peak RSS, MiB (sum)',
        better: 'lower',
        digits: 0,
        values: pick((r) => r.pooled && mib(r.pooled.memory.rss)),
        suffix: procs,
      },
      {
        case: c,
        figure: 'peak PSS, MiB (sum)',
        better: 'lower',
        digits: 0,
        values: pick((r) => r.pooled && mib(r.pooled.memory.pss)),
      },
      {
        case: c,
        figure: 'event-loop delay p99 / max, ms',
        digits: 1,
        noRatio: true,
        values: pick((r) => r.pooled?.loop?.p99),
        suffix: Object.fromEntries(
          TARGETS.flatMap((t) => {
            const loop = results[t]?.pooled?.loop;
            return loop ? [[t, ` / ${loop.max.toFixed(1)}`]] : [];
          }),
        ),
      },
    );
  }
  return { rows: out, notes };
}

async function main(): Promise<void> {
  installCleanupHandlers();
  console.log(
    `$ npm run bench:peer --${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
  );
  checkPeers();

  const root = mkdtempSync(join(tmpdir(), 'relaydesk-peer-'));
  // The postfix user (smtpd, cleanup, …) has to reach files and sockets inside it.
  chmodSync(root, 0o755);
  onCleanup('temporary folder', () => rmSync(root, { recursive: true, force: true }));
  const sink = await startSink();
  const files: PeerFiles | undefined = targets.some((t) => t !== 'relaydesk')
    ? makePeerFiles(root)
    : undefined;
  const total = counts.pooled + counts.single + counts.fresh + 10;
  const maxMessageBytes = Math.max(bigBytes + 8 * 2 ** 20, 10 * 2 ** 20);

  const results: Partial<Record<TargetKey, Results>> = {};
  try {
    for (const key of targets) {
      const start =
        key === 'relaydesk'
          ? () => startRelaydesk({ root, sinkPort: sink.port, maxMessageBytes, connections, mails: total })
          : () =>
              startPostfix({
                files: files as PeerFiles,
                sinkPort: sink.port,
                dkim: key === 'postfix-dkim',
                maxMessageBytes,
                connections,
                tlsReuse,
              });
      results[key] = await runTarget(key, start, sink);
    }
  } finally {
    await sink.close();
  }

  const table = rows(results);
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {}
  console.log(
    [
      `machine: ${machineLine()}${files ? `; ${peerVersions()}` : ''}${commit ? `; Relaydesk at ${commit}` : ''}`,
      `mails: ${size.toLocaleString('en-US')} B text (${bigLabel} of base64 for the big one), STARTTLS + AUTH, delivered over STARTTLS to one in-process sink`,
      ...(files ? [`Postfix: smtp_tls_connection_reuse = ${tlsReuse ? 'yes' : 'no (its default)'}`] : []),
      '',
      renderTable(table.rows, targets),
      '',
      ...targets.map((t) => `${TARGET_LABELS[t]}: the check mail ${results[t]?.check}`),
      ...table.notes,
    ].join('\n'),
  );
}

main().then(
  () => cleanupAll(),
  (err) => {
    console.error(err);
    cleanupAll();
    process.exit(1);
  },
);
