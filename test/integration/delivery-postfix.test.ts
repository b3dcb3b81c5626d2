import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { SendingDomain } from '@shared/domain/sending-domain';
import { afterAll, describe, expect, it } from 'vitest';
import { dnsRecordsOf, verifyWithDkimpy } from '../helpers/dkim';
import { createConnection, startRelay, tempDir, waitForRecipients } from '../helpers/engine';
import { mailer } from '../helpers/mailer';

const SMTP_SINK = '/usr/sbin/smtp-sink';
const work = tempDir('relaydesk-postfix-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * smtp-sink writes each mail with its envelope as X-* lines and a Received: header on top, and
 * with LF line endings: take those off to compare with what Relaydesk stored.
 */
function dumpedMessage(dump: string): string {
  const lines = dump.split('\n');
  let i = 0;
  while (/^X-[\w-]+: /.test(lines[i] ?? '')) i++;
  if (/^Received: /.test(lines[i] ?? '')) {
    i++;
    while (/^[ \t]/.test(lines[i] ?? '')) i++;
  }
  return lines.slice(i).join('\n');
}

describe("delivery to Postfix's smtp-sink as a real MX", () => {
  it('delivers the mail as stored, and its DKIM signature still verifies there', async () => {
    expect(existsSync(SMTP_SINK), `${SMTP_SINK} is missing: install Debian's postfix (.ci/run does)`).toBe(
      true,
    );
    const port = await freePort();
    const dumps = join(work, 'dumps');
    const sink = spawn(SMTP_SINK, ['-u', 'nobody', '-d', `${dumps}/%M.`, `127.0.0.1:${port}`, '10'], {
      stdio: 'ignore',
    });
    chmodSync(work, 0o777);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const relay = await startRelay({
        overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${port}` } },
      });
      try {
        const { access } = await createConnection(relay);
        const info = await mailer(relay.smtpPort, access).sendMail({
          from: 'Webshop <shop@example.com>',
          to: 'customer@example.org',
          subject: 'To Postfix',
          text: 'Delivered to a real MTA.',
          html: '<p>Delivered to a <b>real</b> MTA.</p>',
        });
        const id = /queued as (\w+)/.exec(info.response)?.[1] ?? '';
        const m = await waitForRecipients(relay, id, ['delivered']);
        expect(m.attempts[0]?.reply).toMatch(/Ok/i);

        const deadline = Date.now() + 5000;
        while ((!existsSync(dumps) || readdirSync(dumps).length === 0) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
        }
        const [file] = readdirSync(dumps);
        const dumped = dumpedMessage(readFileSync(join(dumps, file ?? ''), 'latin1'));
        const stored = (await relay.engine.context.spool.readAll(id)).toString('latin1');
        const storedLf = stored.replace(/\r\n/g, '\n');
        expect(dumped.startsWith(storedLf)).toBe(true);
        expect(dumped.slice(storedLf.length)).toMatch(/^\n*$/);

        const arrived = join(work, 'arrived.eml');
        writeFileSync(arrived, storedLf.replace(/\n/g, '\r\n'), 'latin1');
        const records = dnsRecordsOf((await relay.call('domains.list', {})) as SendingDomain[]);
        expect((await verifyWithDkimpy(arrived, records, work)).map((r) => r.ok)).toEqual([true]);
      } finally {
        await relay.dispose();
      }
    } finally {
      sink.kill();
    }
  });
});
