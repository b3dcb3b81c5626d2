import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RelayStatus } from '@shared/domain/status';
import { app, type BrowserWindow, clipboard, dialog, Notification } from 'electron';
import type { Engine } from '../engine/app';
import { relayStatus } from '../services/status';
import { fatalStoreLine } from '../store/store-errors';
import { contractCall } from './contract-call';
import { applyStartAtLogin } from './login-item';
import { STALL_CHECK_EVERY_MS } from './notice-policy';
import {
  allDeferred,
  BounceBurstWatcher,
  type Notice,
  Notifier,
  quotaLowNotice,
  relayStoppedNotice,
  stalledDomains,
  stalledNotice,
} from './notices';
import { DesktopTray } from './tray';
import { smtpSettingsText } from './tray-menu';
import { createConsoleWindow, showRoute } from './window';

export interface DesktopShell {
  /** Shows the console window (made if closed) at `route`; without one, as it was. */
  openConsole(route?: string): void;
  /** Looks for recipient domains deferred an hour (also every 5 minutes by itself). */
  checkStalled(): Promise<void>;
  /** Waits for the work a click or event started (tests; a tray click returns at once). */
  settled(): Promise<void>;
  stop(): void;
}

export interface DesktopShellOptions {
  /** Started at login: the tray only, no window. */
  hidden?: boolean;
  /** Where the tray icons are (resources/). */
  resources?: string;
}

/**
 * The desktop around the engine: the tray (state, today's counts, quick actions), native
 * notifications, start at login and the console window. Every action calls the contract
 * method the console calls, through the same dispatch.
 */
export function startDesktopShell(engine: Engine, options: DesktopShellOptions = {}): DesktopShell {
  const { context } = engine;
  const { settings, clock, events, log } = context;
  const call = contractCall(engine.dispatch);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const pending = new Set<Promise<unknown>>();
  /** Runs a click's work; a failure is shown in a dialog that says what went wrong. */
  const run = (what: string, work: () => Promise<unknown>) => {
    const p = work()
      .catch((err: Error) => {
        log.error('desktop-action-failed', { action: what, error: err.message });
        dialog.showErrorBox(`Relaydesk: ${what} failed`, err.message);
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  };

  let window: BrowserWindow | undefined;
  const closeNoticeFile = join(engine.layout.root, 'desktop-close-notice-shown');
  const openConsole = (route?: string) => {
    if (!window || window.isDestroyed()) {
      window = createConsoleWindow(route);
      window.on('close', () => {
        if (existsSync(closeNoticeFile)) return;
        writeFileSync(closeNoticeFile, `${new Date(clock.now()).toISOString()}\n`);
        showNotification({
          title: 'Relaydesk keeps running',
          body: 'The relay goes on taking and delivering mail in the background. Open the console or quit from the tray icon.',
        });
      });
    } else if (route) showRoute(window, route);
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  /** Notifications are kept until closed: one collected by the garbage collector loses its click. */
  const live = new Set<Notification>();
  const showNotification = (n: { title: string; body: string }, route?: string) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title: n.title, body: n.body });
    live.add(notification);
    if (route) notification.on('click', () => openConsole(route));
    notification.on('close', () => live.delete(notification));
    notification.show();
  };
  const notifier = new Notifier({
    enabled: (key) => settings.get(key) === true,
    now: () => clock.now(),
    show: (notice: Notice) => showNotification(notice, notice.route),
  });
  const bursts = new BounceBurstWatcher(
    notifier,
    () => settings.get('notify.bounceBurstCount'),
    () => clock.now(),
  );

  const tray = new DesktopTray(
    {
      quotaAlertThreshold: () => settings.get('quota.alertThreshold'),
      startAtLogin: () => settings.get('desktop.startAtLogin'),
      today: async () => (await call('stats.summary', { timeZone })).today.counts,
      connections: () => call('connections.list', {}),
    },
    {
      openConsole: () => openConsole(),
      pauseDelivery: () => run('Pause delivery', () => call('queue.pause', {}).then(refresh)),
      resumeDelivery: () => run('Resume delivery', () => call('queue.resume', {}).then(refresh)),
      copySmtpSettings: (id) =>
        run('Copy SMTP settings', async () => {
          const [connection, setup] = await Promise.all([
            call('connections.get', { id }),
            call('connections.setup', { id }),
          ]);
          clipboard.writeText(smtpSettingsText(connection.name, setup.values));
        }),
      setStartAtLogin: (on) =>
        run('Start at login', () => call('settings.update', { values: { 'desktop.startAtLogin': on } })),
      quit: () => run('Quit', quitAsking),
    },
    () => clock.now(),
    options.resources,
  );
  const show = (status: RelayStatus) => tray.update(status);
  const refresh = () => show(relayStatus(context));

  /** Quit stops the relay cleanly; with deliveries waiting it asks first and says they are kept. */
  async function quitAsking(): Promise<void> {
    const { counts } = (await call('status.get', {})).queue;
    const waiting = counts.queued + counts.deferred + counts.sending;
    if (waiting > 0) {
      const { response } = await dialog.showMessageBox({
        type: 'question',
        buttons: ['Quit', 'Keep running'],
        defaultId: 1,
        cancelId: 1,
        message: `${waiting.toLocaleString('en')} ${waiting === 1 ? 'delivery is' : 'deliveries are'} still waiting`,
        detail:
          'They are kept and go out when Relaydesk runs again. While it is stopped, shops cannot hand in mail (they retry later).',
      });
      if (response !== 0) return;
    }
    log.info('quit-from-tray', { waiting });
    app.quit();
  }

  const checkStalled = async () => {
    const deferred = await allDeferred(call);
    const now = clock.now();
    for (const domain of stalledDomains(deferred, now)) notifier.offer(stalledNotice(domain, now));
  };
  const stallTimer = setInterval(
    () => run('Checking for stalled delivery', checkStalled),
    STALL_CHECK_EVERY_MS,
  );
  stallTimer.unref();

  const unsubscribe = events.subscribe((event) => {
    if (event.type === 'status.changed') run('Updating the tray', () => show(event.data));
    else if (event.type === 'connection.changed' || event.type === 'connection.deleted')
      run('Updating the tray', () => tray.connectionsChanged());
    else if (event.type === 'bounce.recorded') bursts.onBounce(event.data);
    else if (event.type === 'quota.alert')
      notifier.offer(quotaLowNotice(event.data.balance, event.data.threshold));
  });
  const offSettings = settings.onChange((changed) => {
    if (changed.includes('desktop.startAtLogin')) applyStartAtLogin(settings.get('desktop.startAtLogin'));
    if (changed.some((k) => k === 'desktop.startAtLogin' || k === 'quota.alertThreshold'))
      run('Updating the tray', refresh);
  });
  const offFatal = context.health.onFatal((err) => {
    const line = fatalStoreLine(err, engine.layout.database);
    notifier.offer(relayStoppedNotice(line));
    dialog.showErrorBox('Relaydesk stopped', line);
    app.quit();
  });

  // The setting is the truth: the operating system is told at every start.
  applyStartAtLogin(settings.get('desktop.startAtLogin'));
  run('Updating the tray', refresh);
  if (!options.hidden) openConsole();

  return {
    openConsole,
    checkStalled,
    settled: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    stop: () => {
      clearInterval(stallTimer);
      unsubscribe();
      offSettings();
      offFatal();
      tray.destroy();
    },
  };
}
