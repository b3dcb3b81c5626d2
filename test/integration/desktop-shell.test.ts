import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BounceRecord } from '@shared/domain/bounce';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DesktopShell } from '../../src/main/desktop/shell';
import { ManualClock } from '../../src/main/engine/clock';
import type { Dispatch } from '../../src/main/services/dispatch';
import { registerIpcTransport } from '../../src/main/transport/ipc';
import { startRelay, type TestRelay, tempDir } from '../helpers/engine';
import { app, clipboard, fake, type Tray } from '../helpers/fake-electron';
import { sendMail } from '../helpers/mailer';
import { createSender } from '../helpers/sender';
import { type Sink, startSink } from '../helpers/sink';

vi.mock('electron', () => import('../helpers/fake-electron'));

const { startDesktopShell } = await import('../../src/main/desktop/shell');

let relay: TestRelay;
let shell: DesktopShell;
let detachIpc: () => void;
let calls: string[];
let clock: ManualClock;
let xdg: string;
const cleanups: (() => Promise<void> | void)[] = [];

/** The shell over a real engine whose dispatch records each method called, like the console's. */
async function start(options: Parameters<typeof startRelay>[0] = {}) {
  clock = new ManualClock(Date.now());
  relay = await startRelay({ clock, ...options });
  const dispatch: Dispatch = (method, params) => {
    calls.push(method);
    return relay.engine.dispatch(method, params);
  };
  // The desktop transport attaches the window as a console, so status.changed is pushed as in the app.
  detachIpc = registerIpcTransport(relay.engine.dispatch, relay.engine.events, () => true);
  shell = startDesktopShell({ ...relay.engine, dispatch }, { hidden: true });
  await shell.settled();
}

const looseCall = (method: string, params: unknown) => relay.call(method as never, params as never);

const tray = (): Tray => {
  const t = fake.trays.at(-1);
  if (!t) throw new Error('no tray');
  return t;
};
const click = async (label: string | RegExp) => {
  tray().item(label).click?.();
  await shell.settled();
};
/** Polls until the tray shows `state` (status.changed is throttled to 4 a second). */
async function trayShows(state: string): Promise<void> {
  for (let i = 0; i < 100 && !tray().image.path.endsWith(`tray-${state}.png`); i++) {
    await new Promise((r) => setTimeout(r, 25));
    await shell.settled();
  }
  expect(tray().image.path).toMatch(new RegExp(`tray-${state}\\.png$`));
}

beforeEach(() => {
  fake.reset();
  calls = [];
  xdg = tempDir('relaydesk-xdg-');
  vi.stubEnv('XDG_CONFIG_HOME', xdg);
});

afterEach(async () => {
  shell?.stop();
  detachIpc?.();
  await relay?.dispose();
  for (const c of cleanups.splice(0)) await c();
  vi.unstubAllEnvs();
  rmSync(xdg, { recursive: true, force: true });
});

const hardBounce = (n: number): BounceRecord =>
  ({
    id: n,
    at: clock.now(),
    kind: 'bounce',
    hard: true,
    reason: 'userunknown',
    recipient: `r${n}@example.org`,
  }) as BounceRecord;

describe('the tray', () => {
  it('shows running, paused and needs attention in its icon, with today’s counts in the tooltip', async () => {
    await start();
    expect(tray().image.path).toMatch(/tray-running\.png$/);
    expect(tray().tooltip).toBe('Relaydesk: Running\nToday: 0 arrived, 0 delivered, 0 bounced');

    await click('Pause delivery');
    expect(calls).toContain('queue.pause');
    expect(tray().image.path).toMatch(/tray-paused\.png$/);
    expect(tray().tooltip.split('\n')[0]).toBe('Relaydesk: Delivery paused');
    expect(tray().labels()).toContain('Resume delivery');

    relay.engine.context.health.report(
      'store',
      Object.assign(new Error('disk full'), { code: 'ENOSPC' }),
      'Free space.',
      'store:disk',
    );
    await trayShows('attention');
    expect(tray().tooltip.split('\n')[0]).toBe('Relaydesk: Needs attention: disk problems');
    relay.engine.context.health.clear('store:disk');
    await trayShows('paused');

    await click('Resume delivery');
    expect(calls).toContain('queue.resume');
    expect(tray().image.path).toMatch(/tray-running\.png$/);
    expect((await relay.call('queue.state', {})).paused).toEqual([]);
  });

  it('counts today’s mail in the tooltip and says when quota runs below its alert threshold', async () => {
    await start();
    await relay.call('settings.update', { values: { 'quota.alertThreshold': 1_000_000 } });
    await shell.settled();
    expect(tray().image.path).toMatch(/tray-attention\.png$/);
    expect(tray().tooltip).toMatch(/^Relaydesk: Needs attention: quota low \([\d,]+ left\)\n/);
    await relay.call('settings.update', { values: { 'quota.alertThreshold': 0 } });
    await shell.settled();
    expect(tray().image.path).toMatch(/tray-running\.png$/);

    const { access } = await createSender(looseCall, { name: 'Shop' });
    await relay.call('queue.pause', {});
    await sendMail(relay.smtpPort, access, { from: 'shop@example.com', to: 'customer@example.org' });
    // Counted at most every 10 s: the next update after that shows the mail.
    clock.advance(11_000);
    await click('Resume delivery');
    expect(tray().tooltip).toContain('Today: 1 arrived');
  });

  it('copies a connection’s SMTP settings from connections.setup, without its password', async () => {
    await start();
    expect(tray().item(/^No connections yet/).enabled).toBe(false);
    const { connection, access } = await createSender(looseCall, { name: 'Webshop' });
    for (let i = 0; i < 200 && !tray().labels().includes('Webshop'); i++) {
      await new Promise((r) => setTimeout(r, 25));
      await shell.settled();
    }
    await click('Webshop');
    expect(calls).toContain('connections.setup');
    expect(clipboard.text).toContain('Relaydesk SMTP settings for "Webshop"');
    expect(clipboard.text).toContain(`Port: ${relay.smtpPort}`);
    expect(clipboard.text).toContain(`Username: ${connection.username}`);
    expect(clipboard.text).toContain('Encryption: STARTTLS (required)');
    expect(clipboard.text).not.toContain(access.password);
    expect(clipboard.text).toMatch(/^Password: .+$/m);
  });

  it('switches start at login through settings.update, and the setting is what the system is told', async () => {
    await start();
    const autostart = join(xdg, 'autostart', 'relaydesk.desktop');
    expect(tray().item('Start at login').checked).toBe(false);
    expect(existsSync(autostart)).toBe(false);

    await click('Start at login');
    expect(calls).toContain('settings.update');
    expect(tray().item('Start at login').checked).toBe(true);
    expect(readFileSync(autostart, 'utf8')).toMatch(/^Exec=".+" --hidden$/m);
    const saved = (await relay.call('settings.get', {})).find((e) => e.key === 'desktop.startAtLogin');
    expect(saved?.value).toBe(true);

    // The same switch on the Settings page (the console's call) moves the tray's checkbox.
    await relay.call('settings.update', { values: { 'desktop.startAtLogin': false } });
    await shell.settled();
    expect(tray().item('Start at login').checked).toBe(false);
    expect(existsSync(autostart)).toBe(false);
  });

  it('quits at once with nothing waiting, and with deliveries waiting asks first and says they are kept', async () => {
    await start();
    await click('Quit Relaydesk');
    expect(calls).toContain('status.get');
    expect(fake.dialogs).toEqual([]);
    expect(app.quitting).toBe(1);

    const { access } = await createSender(looseCall, { name: 'Shop' });
    await relay.call('queue.pause', {});
    await sendMail(relay.smtpPort, access, {
      from: 'shop@example.com',
      to: ['a@example.org', 'b@example.org'],
    });
    fake.nextDialogAnswer = 1; // Keep running
    await click('Quit Relaydesk');
    expect(fake.dialogs.at(-1)).toMatchObject({
      title: '2 deliveries are still waiting',
      buttons: ['Quit', 'Keep running'],
    });
    expect(fake.dialogs.at(-1)?.message).toContain('They are kept');
    expect(app.quitting).toBe(1);
    fake.nextDialogAnswer = 0;
    await click('Quit Relaydesk');
    expect(app.quitting).toBe(2);
  });
});

describe('the console window', () => {
  it('opens from the tray; closing it says once that the relay keeps running', async () => {
    await start();
    expect(fake.windows).toHaveLength(0);
    tray().emit('click');
    expect(fake.windows).toHaveLength(1);
    const first = fake.windows[0];
    first?.close();
    expect(first?.isDestroyed()).toBe(true);
    expect(fake.notifications.map((n) => n.options.title)).toEqual(['Relaydesk keeps running']);
    await click('Open console');
    fake.windows.at(-1)?.close();
    expect(fake.notifications).toHaveLength(1);
    expect(existsSync(join(relay.dataDir, 'desktop-close-notice-shown'))).toBe(true);
  });
});

describe('notifications', () => {
  it('tells of a burst of hard bounces once, not again within 30 minutes, and a click opens the hard bounces', async () => {
    await start({ overrides: { 'notify.bounceBurstCount': 5 } });
    const { events } = relay.engine;
    for (let i = 0; i < 4; i++) events.emit('bounce.recorded', hardBounce(i));
    events.emit('bounce.recorded', { ...hardBounce(99), hard: false });
    expect(fake.notifications).toHaveLength(0);
    events.emit('bounce.recorded', hardBounce(4));
    expect(fake.notifications.map((n) => n.options.title)).toEqual([
      'Relaydesk: 5 hard bounces in 10 minutes',
    ]);
    expect(fake.notifications[0]?.options.body).toContain('"userunknown"');

    for (let i = 0; i < 10; i++) events.emit('bounce.recorded', hardBounce(10 + i));
    expect(fake.notifications).toHaveLength(1);
    clock.advance(31 * 60_000);
    for (let i = 0; i < 5; i++) events.emit('bounce.recorded', hardBounce(30 + i));
    expect(fake.notifications).toHaveLength(2);

    fake.notifications[1]?.click();
    expect(fake.windows.at(-1)?.loaded.at(-1)).toMatchObject({ hash: '/bounces?hard=hard' });
  });

  it('stays silent when switched off in Settings', async () => {
    await start({ overrides: { 'notify.bounceBurstCount': 2 } });
    await relay.call('settings.update', {
      values: { 'notify.bounceBurst': false, 'notify.quotaLow': false },
    });
    for (let i = 0; i < 5; i++) relay.engine.events.emit('bounce.recorded', hardBounce(i));
    relay.engine.events.emit('quota.alert', { balance: 10, threshold: 100, at: clock.now() });
    expect(fake.notifications).toHaveLength(0);
  });

  it('passes on the low-quota alert, and a click opens Quota', async () => {
    await start();
    relay.engine.events.emit('quota.alert', { balance: 900, threshold: 1000, at: clock.now() });
    expect(fake.notifications[0]?.options).toMatchObject({
      title: 'Relaydesk: quota low',
      body: '900 mails left (alert below 1,000). Book a block under Quota & Billing.',
    });
    fake.notifications[0]?.click();
    expect(fake.windows.at(-1)?.loaded.at(-1)).toMatchObject({ hash: '/quota' });
  });

  it('tells when mail to a domain has been deferred for an hour, once per domain, opening its queue', async () => {
    let mx: Sink | undefined;
    mx = await startSink({ onRcpt: () => ({ code: 451, message: '4.7.1 Greylisted, try again later' }) });
    cleanups.push(() => mx?.close());
    await start({ overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } } });
    const { access } = await createSender(looseCall, { name: 'Shop' });
    await sendMail(relay.smtpPort, access, { from: 'shop@example.com', to: 'late@example.org' });
    for (let i = 0; i < 200; i++) {
      const { items } = await relay.call('queue.list', { status: 'deferred' });
      if (items.length > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await shell.checkStalled();
    expect(fake.notifications).toHaveLength(0);

    clock.advance(61 * 60_000);
    await shell.checkStalled();
    expect(calls).toContain('queue.list');
    expect(fake.notifications.map((n) => n.options.title)).toEqual([
      'Relaydesk: mail to example.org has waited an hour',
    ]);
    expect(fake.notifications[0]?.options.body).toContain('4.7.1 Greylisted');
    await shell.checkStalled();
    expect(fake.notifications).toHaveLength(1);
    fake.notifications[0]?.click();
    expect(fake.windows.at(-1)?.loaded.at(-1)).toMatchObject({
      hash: '/queue?domain=example.org&status=deferred',
    });
  });

  it('tells when the relay stops with an error, and quits', async () => {
    await start();
    relay.engine.context.health.reportFatal(
      Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }),
    );
    expect(fake.notifications.map((n) => n.options.title)).toEqual(['Relaydesk stopped']);
    expect(fake.dialogs[0]).toMatchObject({ kind: 'error', title: 'Relaydesk stopped' });
    expect(app.quitting).toBe(1);
  });
});
