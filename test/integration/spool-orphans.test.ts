import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { messageId } from '../../src/main/engine/ids';
import { capturingLogger, createConnection, startRelay, type TestRelay, tempDir } from '../helpers/engine';
import { mailer } from '../helpers/mailer';

let relay: TestRelay | undefined;
afterEach(async () => {
  await relay?.dispose();
  relay = undefined;
});

async function send(r: TestRelay, subject: string, text = 'Thank you.'): Promise<string> {
  const sender = await createConnection(r, { name: `Shop ${subject}` });
  const info = await mailer(r.smtpPort, sender.access).sendMail({
    from: 'shop@example.com',
    to: 'customer@example.org',
    subject,
    text,
  });
  return /queued as (\w+)/.exec(info.response)?.[1] ?? '';
}

describe('spool files and reports the store does not keep', () => {
  it('are removed at start and counted in the log; kept mail and mail accepted meanwhile stay', async () => {
    const dataDir = tempDir();
    relay = await startRelay({ dataDir, deliver: false });
    const kept = await send(relay, 'kept');
    // Larger than a body kept in the store: a spool file.
    const purged = await send(relay, 'purged', 'Thank you.\n'.repeat(30_000));
    const { spool } = relay.engine.context;
    await relay.stop();

    // A crash after the spool's fsync and before the store's commit: a file without a row.
    const orphan = messageId(Date.now() - 60_000);
    mkdirSync(dirname(spool.pathOf(orphan)), { recursive: true, mode: 0o700 });
    writeFileSync(spool.pathOf(orphan), 'Subject: never acknowledged\r\n\r\nx\r\n', { mode: 0o600 });
    // A bounce report kept on disk whose row was never written.
    const report = `r${(Date.now() - 60_000).toString(36)}0badf00d`;
    mkdirSync(join(dataDir, 'spool', 'reports'), { recursive: true, mode: 0o700 });
    writeFileSync(join(dataDir, 'spool', 'reports', `${report}.eml`), 'Subject: report\r\n\r\nx\r\n');
    // A crash in retention after the store marked a body removed and before the file went.
    const db = new Database(join(dataDir, 'relaydesk.db'));
    db.prepare('UPDATE messages SET body_purged = 1 WHERE id = ?').run(purged);
    db.close();

    const log = capturingLogger();
    relay = await startRelay({ dataDir, deliver: false, log });
    const during = await send(relay, 'during');
    const deadline = Date.now() + 10_000;
    while (!log.lines.some((l) => l.includes('spool-reconciled')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));

    expect(log.lines.find((l) => l.includes('spool-reconciled'))).toMatch(/ orphans=2 reports=1$/);
    expect(existsSync(join(dataDir, 'spool', 'reports', `${report}.eml`))).toBe(false);
    const { spool: after } = relay.engine.context;
    expect(existsSync(after.pathOf(orphan))).toBe(false);
    expect(existsSync(after.bodyPathOf(purged))).toBe(false);
    expect((await relay.call('messages.raw', { id: kept })).raw).toContain('Subject: kept');
    expect((await relay.call('messages.raw', { id: during })).raw).toContain('Subject: during');
  });
});
