import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine';
import { type HeadlessRelay, startHeadless } from '../helpers/headless';
import { mailer } from '../helpers/mailer';
import { createSender } from '../helpers/sender';
import { startSink } from '../helpers/sink';

const dataDir = tempDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Recipients the killed process had in flight: what may legitimately arrive twice. */
function inFlightAfterKill(): number {
  const db = new Database(join(dataDir, 'relaydesk.db'), { readonly: true });
  try {
    return db.prepare("SELECT COUNT(*) FROM recipients WHERE status = 'sending'").pluck().get() as number;
  } finally {
    db.close();
  }
}

/** The Relaydesk message id, from the VERP return path it was delivered with. */
const messageIdOf = (from: string) => /^rd-(\w+?)-/.exec(from)?.[1] ?? '';

describe('delivery across crashes', () => {
  it('delivers every accepted mail at least once when the relay is killed twice while delivering; duplicates stay within what was in flight', async () => {
    const TOTAL = 2000;
    // A slow recipient server (20 ms a mail, 5 connections) so the kills land mid-delivery.
    const mx = await startSink({ dataDelayMs: 20 });
    let relay: HeadlessRelay = await startHeadless(dataDir);
    try {
      await relay.call('settings.update', {
        values: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
      });
      const { access } = await createSender(relay.call, { name: 'Shop' });
      await relay.call('quota.bookBlock', { size: 25_000 });
      const transport = mailer(relay.smtpPort, access, 5);
      const accepted = new Set<string>();
      await Promise.all(
        Array.from({ length: TOTAL }, async (_, i) => {
          const info = await transport.sendMail({
            from: 'shop@example.com',
            to: `c${i}@example.org`,
            subject: `Kill test ${i}`,
            text: 'x',
          });
          accepted.add(/queued as (\w+)/.exec(info.response)?.[1] ?? '');
        }),
      );
      transport.close();
      expect(accepted.size).toBe(TOTAL);

      const inFlight: number[] = [];
      for (const threshold of [400, 1100]) {
        await mx.waitFor(threshold, 60_000);
        await relay.kill();
        inFlight.push(inFlightAfterKill());
        relay = await startHeadless(dataDir);
      }

      const deadline = Date.now() + 90_000;
      const arrived = () => new Set(mx.messages.map((m) => messageIdOf(m.from)));
      while ([...accepted].some((id) => !arrived().has(id)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      const ids = mx.messages.map((m) => messageIdOf(m.from));
      const unique = new Set(ids);
      const missing = [...accepted].filter((id) => !unique.has(id));
      const duplicates = ids.length - unique.size;
      console.log(
        `kill test: ${TOTAL} accepted, ${unique.size} arrived, ${missing.length} missing, ${duplicates} duplicates; in flight at the kills: ${inFlight.join(' and ')}`,
      );
      expect(missing).toEqual([]);
      expect(duplicates).toBeLessThanOrEqual(inFlight.reduce((a, b) => a + b, 0));
      const counts = await relay.call<{ counts: { recipients: Record<string, number> } }>('status.get');
      expect(counts.counts.recipients.delivered).toBe(TOTAL);
    } finally {
      await relay.stop();
      await mx.close();
    }
  }, 240_000);
});
