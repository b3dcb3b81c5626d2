import { rmSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { createConnection, startRelay, tempDir } from '../helpers/engine';
import { SmtpSession } from '../helpers/smtp-session';

const dataDir = tempDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function presentedFingerprint(port: number): Promise<string | undefined> {
  const { session } = await SmtpSession.open(port);
  await session.command('EHLO client.test');
  await session.startTls();
  const fingerprint = session.peerCertificateFingerprint;
  session.close();
  return fingerprint;
}

describe('restarting the engine', () => {
  it('keeps connections, messages, bodies, passwords and the TLS certificate', async () => {
    const first = await startRelay({ dataDir });
    const { connection, access } = await createConnection(first, {
      name: 'Webshop',
      mode: 'sandbox',
      hourlyLimit: 100,
    });
    const sent = await nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: first.smtpPort,
        requireTLS: true,
        tls: { rejectUnauthorized: false },
        auth: { user: access.username, pass: access.password },
      })
      .sendMail({
        from: 'shop@example.com',
        to: 'customer@example.org',
        subject: 'Kept',
        text: 'Still here after a restart',
      });
    const id = sent.response.split(' ').pop() ?? '';
    const statusBefore = await first.call('status.get', {});
    expect(await presentedFingerprint(first.smtpPort)).toBe(statusBefore.smtp.tls.fingerprint256);
    await first.stop();

    const second = await startRelay({ dataDir });
    try {
      const statusAfter = await second.call('status.get', {});
      expect(statusAfter.smtp.tls.fingerprint256).toBe(statusBefore.smtp.tls.fingerprint256);
      expect(statusAfter.smtp.tls.source).toBe('generated');
      expect(await presentedFingerprint(second.smtpPort)).toBe(statusBefore.smtp.tls.fingerprint256);

      const kept = await second.call('connections.get', { id: connection.id });
      expect(kept).toMatchObject({
        name: 'Webshop',
        mode: 'sandbox',
        hourlyLimit: 100,
        username: access.username,
      });
      expect(kept.lastActivityAt).not.toBeNull();

      const message = await second.call('messages.get', { id });
      expect(message.subject).toBe('Kept');
      expect(message.status).toBe('captured');
      expect((await second.call('messages.raw', { id })).raw).toContain('Still here after a restart');

      const { session } = await SmtpSession.open(second.smtpPort);
      await session.command('EHLO client.test');
      await session.startTls();
      await session.command('EHLO client.test');
      expect(await session.login(access.username, access.password)).toMatch(/^235/);
      session.close();
    } finally {
      await second.stop();
    }
  });

  it('refuses to open a data folder another running Relaydesk holds, saying what to do', async () => {
    const running = await startRelay({ dataDir });
    try {
      await expect(startRelay({ dataDir })).rejects.toThrow(/already using the data folder .* --data-dir/);
    } finally {
      await running.stop();
    }
  });
});
