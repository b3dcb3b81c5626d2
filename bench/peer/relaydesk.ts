/**
 * The Relaydesk target: the built headless relay (`out/main/headless.js`) in a temporary data
 * directory, routing the recipient domain to the sink.
 *
 * Its V8 heap is read by a probe preloaded into the relay process (`node --require`, through
 * NODE_OPTIONS for that child only), so nothing in src/ has to expose it: the probe samples
 * process.memoryUsage() every 10 ms and, on SIGUSR2, prints the current heap and the peak since
 * the previous SIGUSR2 to stderr. It also watches the event loop (perf_hooks'
 * monitorEventLoopDelay, 10 ms resolution) and prints its p99 and maximum delay since the
 * previous reading: how long the console and every session would wait for the relay's thread.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SendingDomain } from '@shared/domain/sending-domain';
import { dnsRecordsOf } from '../../test/helpers/dkim';
import { startHeadless } from '../../test/helpers/headless';
import { createSender } from '../../test/helpers/sender';
import { onCleanup } from './cleanup';
import { alive, processTree, waitGoneSync } from './procs';
import { type HeapReading, RECIPIENT_DOMAIN, type Target } from './target';

const PROBE = `'use strict';
let peakHeap = 0;
let peakAll = 0;
const sample = () => {
  const m = process.memoryUsage();
  if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  if (m.heapUsed + m.external > peakAll) peakAll = m.heapUsed + m.external;
  return m;
};
setInterval(sample, 10).unref();
const loop = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 10 });
loop.enable();
process.on('SIGUSR2', () => {
  const m = sample();
  process.stderr.write('[heap-probe] heap=' + m.heapUsed + ' peakHeap=' + peakHeap + ' all=' + (m.heapUsed + m.external) + ' peakAll=' + peakAll + ' loopP99=' + loop.percentile(99) + ' loopMax=' + loop.max + '\\n');
  peakHeap = m.heapUsed;
  peakAll = m.heapUsed + m.external;
  loop.reset();
});
`;

export interface RelaydeskOptions {
  root: string;
  sinkPort: number;
  maxMessageBytes: number;
  connections: number;
  /** Mails the run will send (the quota block must cover them). */
  mails: number;
}

export async function startRelaydesk(options: RelaydeskOptions): Promise<Target> {
  const dataDir = join(options.root, 'relaydesk');
  mkdirSync(dataDir);
  const probe = join(options.root, 'heap-probe.cjs');
  writeFileSync(probe, PROBE);

  // startHeadless spawns synchronously, so the option reaches this child only.
  const before = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${before ?? ''} --require ${probe}`.trim();
  const starting = startHeadless(dataDir);
  if (before === undefined) delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = before;
  const relay = await starting;
  const stop = onCleanup('relaydesk', () => {
    if (!alive(relay.pid)) return;
    relay.process.kill('SIGTERM');
    if (!waitGoneSync(relay.pid, 15_000)) relay.process.kill('SIGKILL');
  });

  const settings: Record<string, unknown> = {
    'delivery.routes': { [RECIPIENT_DOMAIN]: `127.0.0.1:${options.sinkPort}` },
  };
  // Only where the scenario needs more than the defaults (30 MiB mails, 20 sessions per address).
  if (options.maxMessageBytes > 30 * 2 ** 20) settings['smtp.maxMessageBytes'] = options.maxMessageBytes;
  if (options.connections + 2 > 20) settings['smtp.maxConnectionsPerAddress'] = options.connections + 2;
  await relay.call('settings.update', { values: settings });
  const { access } = await createSender(relay.call, { name: 'Peer bench' });
  // A booked block lifts the demo limit of 25 mails an hour.
  await relay.call('quota.bookBlock', { size: Math.max(250_000, options.mails + 1000) });
  const domains = await relay.call<SendingDomain[]>('domains.list', {});

  let readings = 0;
  return {
    key: 'relaydesk',
    port: relay.smtpPort,
    user: access.username,
    pass: access.password,
    dkimRecords: dnsRecordsOf(domains),
    pids: () => processTree([relay.pid]),
    async heap(): Promise<HeapReading> {
      const wanted = ++readings;
      process.kill(relay.pid, 'SIGUSR2');
      const deadline = Date.now() + 5000;
      for (;;) {
        const lines = [
          ...relay
            .output()
            .matchAll(
              /\[heap-probe\] heap=(\d+) peakHeap=(\d+) all=(\d+) peakAll=(\d+) loopP99=(\d+) loopMax=(\d+)/g,
            ),
        ];
        const line = lines[wanted - 1];
        if (line) {
          const [, heap, peakHeap, all, peakAll, loopP99, loopMax] = line.map(Number) as number[] as [
            number,
            number,
            number,
            number,
            number,
            number,
            number,
          ];
          return { heap, peakHeap, all, peakAll, loopP99Ms: loopP99 / 1e6, loopMaxMs: loopMax / 1e6 };
        }
        if (Date.now() > deadline) throw new Error('the heap probe did not answer');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      await relay.stop();
      stop();
    },
  };
}
