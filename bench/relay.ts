/**
 * npm run bench:relay -- --messages 5000 [--connections 10] [--size 5k]
 *
 * Mails submitted over STARTTLS+AUTH (pooled nodemailer clients) to a headless Relaydesk whose
 * route for example.org points at a local SMTP sink in this process. Prints accepted/s,
 * delivered/s and p50/p99 of the time from the relay's 250 to the mail's arrival at the sink.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentRss, peakRss, startHeadless } from '../test/helpers/headless';
import { mailer } from '../test/helpers/mailer';
import { createSender } from '../test/helpers/sender';
import { startSink } from '../test/helpers/sink';
import { benchArgs, parseSize, percentile } from './args';

const opts = benchArgs({ messages: '5000', connections: '10', size: '5k' });
const total = Number(opts.messages);
const clients = Number(opts.connections);
const size = parseSize(opts.size);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relaydesk-bench-relay-'));
  const sink = await startSink();
  const relay = await startHeadless(dataDir);
  try {
    await relay.call('settings.update', {
      values: { 'delivery.routes': { 'example.org': `127.0.0.1:${sink.port}` } },
    });
    const { access } = await createSender(relay.call, { name: 'Bench shop' });
    // A booked block lifts the demo limit of 25 mails an hour.
    await relay.call('quota.bookBlock', { size: 250_000 });
    const pooled = mailer(relay.smtpPort, access, clients);
    const body = 'Thank you for your order; it ships tomorrow.\r\n'.repeat(Math.max(1, Math.ceil(size / 46)));

    const acceptedAt = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < total) {
          const i = next++;
          const info = await pooled.sendMail({
            from: 'shop@example.com',
            to: `c${i}@example.org`,
            subject: `Bench ${i}`,
            text: body,
          });
          const id = /queued as (\w+)/.exec(info.response)?.[1];
          if (!id) throw new Error(`unexpected reply ${info.response}`);
          acceptedAt.set(id, Date.now());
        }
      }),
    );
    const acceptSeconds = (performance.now() - started) / 1000;
    pooled.close();
    await sink.waitFor(total, 300_000);
    const deliverSeconds = (performance.now() - started) / 1000;

    const latencies = sink.messages
      .map((m) => {
        const id = /^rd-(\w+?)-/.exec(m.from)?.[1] ?? '';
        const at = acceptedAt.get(id);
        return at === undefined ? Number.NaN : m.at - at;
      })
      .filter((x) => Number.isFinite(x))
      .sort((a, b) => a - b);
    console.log(
      [
        `bench:relay  messages=${total} client connections=${clients} size≈${size} B`,
        `  accepted:   ${(total / acceptSeconds).toFixed(0)} mails/s (${acceptSeconds.toFixed(2)} s)`,
        `  delivered:  ${(total / deliverSeconds).toFixed(0)} mails/s (all ${sink.messages.length} at the sink after ${deliverSeconds.toFixed(2)} s, over ${sink.connections} connections)`,
        `  250 → sink: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`,
        `  server RSS: ${(currentRss(relay.pid) / 1048576).toFixed(0)} MiB now, peak ${(peakRss(relay.pid) / 1048576).toFixed(0)} MiB`,
      ].join('\n'),
    );
  } finally {
    await relay.stop();
    await sink.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
