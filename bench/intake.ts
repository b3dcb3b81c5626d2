/**
 * npm run bench:intake -- --connections 20 --messages 5000 --size 5k
 *
 * Pooled STARTTLS+AUTH SMTP clients (nodemailer) against a headless Relaydesk on loopback.
 * Each client connection sends its share one mail at a time; the latency is one whole SMTP
 * transaction (MAIL, RCPT, DATA, the durable 250). Prints accepted mails/s and p50/p99 latency.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { currentRss, peakRss, startHeadless } from '../test/helpers/headless';
import { createSender } from '../test/helpers/sender';
import { benchArgs, parseSize, percentile } from './args';

const opts = benchArgs({ connections: '1', messages: '1000', size: '5k' });
const connections = Number(opts.connections);
const total = Number(opts.messages);
const size = parseSize(opts.size);

function mail(bytes: number): Buffer {
  const head =
    'From: Webshop <shop@example.com>\r\nTo: customer@example.org\r\nSubject: Your order\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n';
  const line = 'Thank you for your order. It will ship within two working days, tracking follows.\r\n';
  let body = '';
  while (head.length + body.length < bytes) body += line;
  return Buffer.from(head + body.slice(0, Math.max(0, bytes - head.length)));
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relaydesk-bench-'));
  const relay = await startHeadless(dataDir);
  try {
    const { access } = await createSender(relay.call, {
      name: 'Bench shop',
    });
    // A booked block lifts the demo limit of 25 mails an hour.
    await relay.call('quota.bookBlock', { size: 250_000 });
    // Intake alone: delivery would look up example.org, fail, bounce and suppress the address.
    await relay.call('queue.pause', {});
    const transport = nodemailer.createTransport({
      pool: true,
      maxConnections: connections,
      maxMessages: Number.POSITIVE_INFINITY,
      host: '127.0.0.1',
      port: relay.smtpPort,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: access.username, pass: access.password },
    });
    const raw = mail(size);
    const envelope = { from: 'shop@example.com', to: ['customer@example.org'] };
    // One mail per client first, so TLS handshakes and logins are not timed as transactions.
    await Promise.all(Array.from({ length: connections }, () => transport.sendMail({ envelope, raw })));

    const latencies: number[] = [];
    let next = 0;
    const rssBefore = currentRss(relay.pid);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < total) {
          next++;
          const t0 = performance.now();
          const info = await transport.sendMail({ envelope, raw });
          latencies.push(performance.now() - t0);
          if (!info.response.startsWith('250 2.0.0 Ok: queued as'))
            throw new Error(`unexpected reply ${info.response}`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    transport.close();
    latencies.sort((a, b) => a - b);
    const status = await relay.call<{ counts: { messages: number } }>('status.get');
    console.log(
      [
        `bench:intake  connections=${connections} messages=${total} size=${size} B`,
        `  accepted:    ${(total / seconds).toFixed(0)} mails/s (${seconds.toFixed(2)} s, ${((total * size) / seconds / 1048576).toFixed(1)} MiB/s)`,
        `  transaction: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${(latencies[latencies.length - 1] ?? 0).toFixed(1)} ms`,
        `  server RSS:  ${(rssBefore / 1048576).toFixed(0)} MiB before, peak ${(peakRss(relay.pid) / 1048576).toFixed(0)} MiB`,
        `  stored:      ${status.counts.messages} messages (incl. ${connections} warm-up)`,
      ].join('\n'),
    );
  } finally {
    await relay.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
