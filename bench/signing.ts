/**
 * npm run bench:signing
 *
 * Time and peak heap of receiving + signing + durably storing one mail (the intake pipeline of
 * src/main/intake/accept.ts: normalise, header checks and edits, body hash, RSA + Ed25519
 * signatures, spool commit, store commit), for a 5 KiB and a 25 MiB mail. The mail is
 * generated while it streams in, so the figures are the server's own.
 */
import { rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { SendingDomain } from '@shared/domain/sending-domain';
import { startEngine } from '../src/main/engine/app';
import { silentLogger } from '../src/main/engine/logger';
import { acceptMessage } from '../src/main/intake/accept';
import { tempDir } from '../test/helpers/engine';
import { createSender } from '../test/helpers/sender';
import { percentile } from './args';

const gc = (globalThis as { gc?: () => void }).gc;

function mailStream(bytes: number): Readable {
  const head = Buffer.from(
    'From: Webshop <shop@example.com>\r\nTo: customer@example.org\r\nSubject: Bench\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n',
  );
  const line = Buffer.from(`${'QUJD'.repeat(19)}\r\n`);
  const chunk = Buffer.concat(Array.from({ length: 800 }, () => line));
  let sent = 0;
  return new Readable({
    read() {
      if (sent === 0) {
        sent += head.length;
        this.push(head);
        return;
      }
      if (sent >= bytes) return void this.push(null);
      const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
      sent += piece.length;
      this.push(piece);
    },
  });
}

async function main(): Promise<void> {
  const dataDir = tempDir('relaydesk-bench-sign-');
  const engine = await startEngine({ dataDir, log: silentLogger, overrides: { 'smtp.port': 0 } });
  try {
    const call = async (method: string, params: unknown) => {
      const r = await engine.dispatch(method, params);
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    const sender = await createSender(call, { name: 'Bench' });
    await call('domains.generateKey', { domainId: sender.domain.id, algorithm: 'ed25519-sha256' });
    const domain = (await call('domains.get', { id: sender.domain.id })) as SendingDomain;
    const connection = engine.context.store.connections.get(sender.connection.id);
    if (!connection) throw new Error('connection missing');
    const envelope = {
      connection,
      mailFrom: 'shop@example.com',
      recipients: ['customer@example.org'],
      client: { address: '127.0.0.1', helo: 'bench', tls: 'TLSv1.3' },
      relayName: 'bench.relaydesk.test',
    };
    console.log(
      `bench:signing  keys: ${domain.keys.map((k) => k.algorithm).join(' + ')}  heap sampled every 2 ms${gc ? '' : ' (run with --expose-gc for a steadier baseline)'}`,
    );
    for (const [label, bytes, runs] of [
      ['5 KiB', 5 * 1024, 300],
      ['25 MiB', 25 * 1024 * 1024, 5],
    ] as const) {
      const times: number[] = [];
      let peakGrowth = 0;
      for (let i = 0; i < runs; i++) {
        gc?.();
        const base = process.memoryUsage().heapUsed;
        let peak = base;
        const timer = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }, 2);
        const t0 = performance.now();
        const outcome = await acceptMessage(mailStream(bytes), envelope, 30 * 1024 * 1024, engine.context);
        times.push(performance.now() - t0);
        clearInterval(timer);
        peak = Math.max(peak, process.memoryUsage().heapUsed);
        if (!outcome.accepted) throw new Error(outcome.refusal.toString());
        peakGrowth = Math.max(peakGrowth, peak - base);
      }
      times.sort((a, b) => a - b);

      console.log(
        `  ${label.padEnd(6)} ${runs} runs: p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms; peak heap growth ${(peakGrowth / 1048576).toFixed(1)} MiB`,
      );
    }
  } finally {
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const done = main().catch((err) => {
  console.error(err);
  process.exit(1);
});
