import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createConnection, startRelay, tempDir } from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { SmtpSession } from '../helpers/smtp-session';

const dataDir = tempDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('restarting the engine', () => {
  it('keeps connections, messages, bodies, passwords and the TLS certificate', async () => {
    const first = await startRelay({ deliver: false, dataDir });
    const { connection, access } = await createConnection(first, {
      name: 'Webshop',
      mode: 'sandbox',
      hourlyLimit: 100,
    });
    const sent = await mailer(first.smtpPort, access).sendMail({
      from: 'shop@example.com',
      to: 'customer@example.org',
      subject: 'Kept',
      text: 'Still here after a restart',
    });
    const id = sent.response.split(' ').pop() ?? '';
    const statusBefore = await first.call('status.get', {});
    expect(await SmtpSession.presentedFingerprint(first.smtpPort)).toBe(statusBefore.smtp.tls.fingerprint256);
    await first.stop();

    const second = await startRelay({ deliver: false, dataDir });
    try {
      const statusAfter = await second.call('status.get', {});
      expect(statusAfter.smtp.tls.fingerprint256).toBe(statusBefore.smtp.tls.fingerprint256);
      expect(statusAfter.smtp.tls.source).toBe('generated');
      expect(await SmtpSession.presentedFingerprint(second.smtpPort)).toBe(
        statusBefore.smtp.tls.fingerprint256,
      );

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

      const session = await SmtpSession.loggedIn(second.smtpPort, access);
      session.close();
    } finally {
      await second.stop();
    }
  });

  it('refuses to open a data folder another running Relaydesk holds, saying what to do', async () => {
    const running = await startRelay({ deliver: false, dataDir });
    try {
      await expect(startRelay({ deliver: false, dataDir })).rejects.toThrow(
        /already using the data folder .* --data-dir/,
      );
    } finally {
      await running.stop();
    }
  });
});
