import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { QueueEntry } from '@shared/domain/queue';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SettingKey } from '../../src/main/config/settings-schema';
import { ManualClock } from '../../src/main/engine/clock';
import { tempDir } from '../helpers/engine';
import { app, fake } from '../helpers/fake-electron';

vi.mock('electron', () => import('../helpers/fake-electron'));

const { allDeferred, Notifier, stalledDomains, stalledNotice } = await import(
  '../../src/main/desktop/notices'
);
const { applyStartAtLogin, startedAtLogin } = await import('../../src/main/desktop/login-item');

beforeEach(() => fake.reset());

function notifier(off: SettingKey[] = []) {
  const clock = new ManualClock(Date.UTC(2026, 11, 2, 9));
  const shown: string[] = [];
  const n = new Notifier({
    enabled: (key) => !off.includes(key),
    now: () => clock.now(),
    show: (notice) => shown.push(`${notice.kind}:${notice.subject ?? ''}`),
  });
  return { n, clock, shown };
}

const notice = (kind: 'bounceBurst' | 'deliveryStalled' | 'relayStopped' | 'quotaLow', subject?: string) => ({
  kind,
  ...(subject ? { subject } : {}),
  title: 't',
  body: 'b',
  route: '/',
});

describe('desktop notifications', () => {
  it('shows each kind at most at its own rate, kept per subject', () => {
    const { n, clock, shown } = notifier();
    expect(n.offer(notice('deliveryStalled', 'a.example'))).toBe(true);
    expect(n.offer(notice('deliveryStalled', 'b.example'))).toBe(true);
    expect(n.offer(notice('deliveryStalled', 'a.example'))).toBe(false);
    clock.advance(6 * 3_600_000 - 1);
    expect(n.offer(notice('deliveryStalled', 'a.example'))).toBe(false);
    clock.advance(1);
    expect(n.offer(notice('deliveryStalled', 'a.example'))).toBe(true);
    expect(shown).toEqual([
      'deliveryStalled:a.example',
      'deliveryStalled:b.example',
      'deliveryStalled:a.example',
    ]);
  });

  it('caps all kinds together at five in ten minutes, except that the relay stopped', () => {
    const { n, clock, shown } = notifier();
    for (const d of ['a', 'b', 'c', 'd', 'e', 'f']) n.offer(notice('deliveryStalled', `${d}.example`));
    expect(shown).toHaveLength(5);
    expect(n.offer(notice('quotaLow'))).toBe(false);
    expect(n.offer(notice('relayStopped'))).toBe(true);
    clock.advance(10 * 60_000);
    expect(n.offer(notice('quotaLow'))).toBe(true);
  });

  it('shows nothing of a kind switched off in Settings', () => {
    const { n, shown } = notifier(['notify.deliveryStalled', 'notify.relayStopped']);
    expect(n.offer(notice('deliveryStalled', 'a.example'))).toBe(false);
    expect(n.offer(notice('relayStopped'))).toBe(false);
    expect(n.offer(notice('bounceBurst'))).toBe(true);
    expect(shown).toEqual(['bounceBurst:']);
  });

  it('calls a domain stalled once its oldest deferred mail has waited an hour', () => {
    const now = Date.UTC(2026, 11, 2, 12);
    const entry = (domain: string, minutesAgo: number, lastReply = ''): QueueEntry =>
      ({ domain, status: 'deferred', acceptedAt: now - minutesAgo * 60_000, lastReply }) as QueueEntry;
    const stalled = stalledDomains(
      [
        entry('slow.example', 30),
        entry('slow.example', 61, '451 4.7.1 try later'),
        entry('fresh.example', 59),
      ],
      now,
    );
    expect(stalled).toEqual([
      { domain: 'slow.example', since: now - 61 * 60_000, waiting: 2, lastReply: '451 4.7.1 try later' },
    ]);
    expect(stalledNotice(stalled[0] as (typeof stalled)[0], now + 2 * 3_600_000)).toMatchObject({
      title: 'Relaydesk: mail to slow.example has waited 3 hours',
      body: '2 deferred. Last answer: 451 4.7.1 try later',
      route: '/queue?domain=slow.example&status=deferred',
    });
  });
});

describe('the deferred queue as the stalled check reads it', () => {
  it('reads every page, so a stalled domain behind 500 others is seen, and stops at its bound', async () => {
    const pages = 30;
    const asked: (string | undefined)[] = [];
    const call = (async (_method: string, params: { cursor?: string }) => {
      asked.push(params.cursor);
      const n = params.cursor ? Number(params.cursor) : 0;
      const items = Array.from({ length: 500 }, (_, i) => ({
        domain: n === 2 ? 'late.example' : `d${i}.example`,
      }));
      return { items, nextCursor: n + 1 < pages ? String(n + 1) : null };
    }) as never;
    const all = await allDeferred(call, 2_000);
    expect(all).toHaveLength(2_000);
    expect(asked).toEqual([undefined, '1', '2', '3']);
    expect(all.some((e) => e.domain === 'late.example')).toBe(true);
    expect(await allDeferred(call, 1_000_000)).toHaveLength(pages * 500);
  });
});

describe('start at login', () => {
  it('registers a login item that starts hidden on Windows and macOS, and removes it', () => {
    applyStartAtLogin(true, 'win32');
    expect(app.loginItem).toMatchObject({ openAtLogin: true, args: ['--hidden'] });
    applyStartAtLogin(false, 'darwin');
    expect(app.loginItem).toMatchObject({ openAtLogin: false, args: [] });
    expect(fake.loginItemCalls).toHaveLength(2);
  });

  it('writes and removes an XDG autostart entry on Linux, where Electron has no login items', () => {
    const config = tempDir('relaydesk-xdg-');
    try {
      const env = { XDG_CONFIG_HOME: config, APPIMAGE: '/home/anna/Apps/Relaydesk.AppImage' };
      applyStartAtLogin(true, 'linux', env);
      const file = join(config, 'autostart', 'relaydesk.desktop');
      expect(readFileSync(file, 'utf8')).toContain('Exec="/home/anna/Apps/Relaydesk.AppImage" --hidden');
      expect(fake.loginItemCalls).toHaveLength(0);
      applyStartAtLogin(false, 'linux', env);
      expect(existsSync(file)).toBe(false);
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });

  it('knows a run started at login by its flag, so only the tray appears', () => {
    expect(startedAtLogin(['/opt/Relaydesk/relaydesk', '--hidden'])).toBe(true);
    expect(startedAtLogin(['/opt/Relaydesk/relaydesk'])).toBe(false);
  });
});
