import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Spool } from '../../src/main/spool/spool';
import { MessagesRepo } from '../../src/main/store/messages-repo';
import { createConnection, startRelay, type TestRelay, tempDir } from '../helpers/engine';
import { startHeadless } from '../helpers/headless';
import { mailer } from '../helpers/mailer';
import { createSender } from '../helpers/sender';
import { SmtpSession } from '../helpers/smtp-session';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function openTransaction(
  port: number,
  access: { username: string; password: string },
): Promise<SmtpSession> {
  const session = await SmtpSession.loggedIn(port, access);
  expect(await session.command('MAIL FROM:<shop@example.com>')).toMatch(/^250/);
  expect(await session.command('RCPT TO:<customer@example.org>')).toMatch(/^250/);
  expect(await session.command('DATA')).toMatch(/^354/);
  return session;
}

const body = (n: number) =>
  `From: shop@example.com\r\nTo: customer@example.org\r\nSubject: Order ${n}\r\n\r\nYour order ${n} is confirmed.\r\n${'x'.repeat(70)}\r\n`;

describe('durable acceptance', () => {
  it('keeps every mail that got a 250 when the server process is killed right after the reply', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const accepted: { id: string; text: string }[] = [];
    let access: { username: string; password: string } | undefined;
    for (let round = 0; round < 4; round++) {
      const server = await startHeadless(dataDir);
      await server.call('queue.pause', {});
      // Intake alone: no delivery attempt may change the stored mail's state.
      await server.call('queue.pause', {});
      access ??= (
        await createSender(server.call, {
          name: 'Shop',
        })
      ).access;
      const session = await openTransaction(server.smtpPort, access);
      const text = body(round);
      session.write(`${text}.\r\n`);
      const reply = await session.reply();
      // SIGKILL the instant the 250 is read: nothing after the reply gets to run.
      process.kill(server.pid, 'SIGKILL');
      expect(reply).toMatch(/^250 2\.0\.0 Ok: queued as \w+$/);
      accepted.push({ id: reply.split(' ').pop() ?? '', text });
      await server.kill();
      session.close();
    }

    const relay = await startRelay({ deliver: false, dataDir });
    try {
      for (const { id, text } of accepted) {
        const message = await relay.call('messages.get', { id });
        expect(message.recipients).toEqual(['customer@example.org']);
        const raw = await relay.call('messages.raw', { id });
        // Stored signed: Relaydesk's headers on top, the mail as sent below them.
        const [head = '', body = ''] = text.split('\r\n\r\n');
        for (const line of head.split('\r\n')) expect(raw.raw).toContain(`${line}\r\n`);
        expect(raw.raw.endsWith(`\r\n\r\n${body}`)).toBe(true);
        expect(raw.raw).toMatch(/^DKIM-Signature: /);
      }
      expect((await relay.call('messages.search', {})).items).toHaveLength(accepted.length);
    } finally {
      await relay.stop();
    }
  });

  it('leaves no message and no file behind for a mail cut off by a crash before its end', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const server = await startHeadless(dataDir);
    await server.call('queue.pause', {});
    const { access } = await createSender(server.call, {
      name: 'Shop',
    });
    const session = await openTransaction(server.smtpPort, access);
    session.write(body(99).repeat(2000));
    await new Promise((r) => setTimeout(r, 300));
    await server.kill();
    session.close();
    expect(readdirSync(join(dataDir, 'spool', 'incoming')).length).toBe(1);

    const relay = await startRelay({ deliver: false, dataDir });
    try {
      expect((await relay.call('messages.search', {})).items).toHaveLength(0);
      expect(readdirSync(join(dataDir, 'spool', 'incoming'))).toEqual([]);
    } finally {
      await relay.stop();
    }
  });
});

describe('the order of acceptance', () => {
  let relay: TestRelay | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await relay?.dispose();
    relay = undefined;
  });

  /** Sends `text` on a new session; returns the reply, and whether another store connection saw the mail when it came. */
  async function sendAndLook(
    r: TestRelay,
    text: string,
  ): Promise<{ reply: string; row: unknown; body: unknown }> {
    const { access } = await createConnection(r);
    const session = await openTransaction(r.smtpPort, access);
    session.write(`${text}.\r\n`);
    const reply = await session.reply();
    const id = /queued as (\w+)/.exec(reply)?.[1] ?? '';
    const other = new Database(join(r.dataDir, 'relaydesk.db'), { readonly: true });
    const row = other.prepare('SELECT id FROM messages WHERE id = ?').get(id);
    const kept = other
      .prepare('SELECT length(content) AS bytes FROM message_bodies WHERE message_id = ?')
      .get(id);
    other.close();
    session.close();
    return { reply, row: row && { ...row }, body: kept };
  }

  it('commits a small mail and its row in one store transaction before answering 250', async () => {
    relay = await startRelay({ deliver: false });
    const { reply, row, body: kept } = await sendAndLook(relay, body(1));
    expect(reply).toMatch(/^250 /);
    const id = /queued as (\w+)/.exec(reply)?.[1] ?? '';
    // Committed when the 250 comes: another connection to the store sees the row and the mail.
    expect(row).toEqual({ id });
    expect(kept).toMatchObject({ bytes: expect.any(Number) });
    expect((kept as { bytes: number }).bytes).toBeGreaterThan(body(1).length);
    expect(
      readdirSync(join(relay.dataDir, 'spool'), { recursive: true }).filter((f) =>
        /\.(eml|body|part)$/.test(String(f)),
      ),
    ).toEqual([]);
  });

  it('fsyncs a large mail’s file and its folder, then commits the store transaction, then answers 250', async () => {
    relay = await startRelay({ deliver: false });
    const steps: string[] = [];
    const syncFolders = Spool.prototype.syncFoldersNow;
    vi.spyOn(Spool.prototype, 'syncFoldersNow').mockImplementation(function (this: Spool, paths) {
      // Called once the mails' files are written and fsynced; their folders follow here.
      syncFolders.call(this, paths);
      if (paths.length > 0) steps.push('spool file and folder fsynced');
    });
    const record = MessagesRepo.prototype.recordAccepted;
    vi.spyOn(MessagesRepo.prototype, 'recordAccepted').mockImplementation(function (this: MessagesRepo, m) {
      record.call(this, m);
      steps.push('store written');
    });
    // Past the 256 KiB a body may take in memory.
    const large = body(2) + `${'y'.repeat(998)}\r\n`.repeat(300);
    const { reply, row, body: kept } = await sendAndLook(relay, large);
    steps.push('250 received');
    expect(reply).toMatch(/^250 /);
    const id = /queued as (\w+)/.exec(reply)?.[1] ?? '';
    expect(steps).toEqual(['spool file and folder fsynced', 'store written', '250 received']);
    expect(row).toEqual({ id });
    // The store keeps the signed header section; the body stays the file it was received into.
    expect((kept as { bytes: number }).bytes).toBeLessThan(10_000);
    expect(existsSync(relay.engine.context.spool.bodyPathOf(id))).toBe(true);
  });

  it('answers 451 and keeps no file when the store cannot record the mail', async () => {
    relay = await startRelay({ deliver: false });
    const { access } = await createConnection(relay);
    vi.spyOn(MessagesRepo.prototype, 'recordAccepted').mockImplementation(() => {
      throw new Error('SQLITE_FULL: database or disk is full');
    });
    const t = mailer(relay.smtpPort, access);
    await expect(
      t.sendMail({ from: 'shop@example.com', to: 'a@example.org', text: 'x' }),
    ).rejects.toMatchObject({
      responseCode: 451,
      response: '451 4.3.0 Relaydesk could not store the mail; it was not accepted, try again later',
    });
    const spool = join(relay.dataDir, 'spool');
    const files = readdirSync(spool, { recursive: true }).filter((f) => /\.(eml|body|part)$/.test(String(f)));
    expect(files).toEqual([]);
    expect(existsSync(join(spool, 'incoming'))).toBe(true);
  });
});
