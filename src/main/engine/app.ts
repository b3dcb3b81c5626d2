import pkg from '../../../package.json';
import { ActivityLog } from '../activity/activity-log';
import { BounceListener } from '../bounces/listener';
import { BounceRecorder } from '../bounces/recorder';
import { type DataDirLayout, prepareDataDir } from '../config/data-dir';
import {
  desktopSecretBox,
  localSecretBox,
  type OsSecretStorage,
  readOrCreateSecretKey,
} from '../config/secret-box';
import { SettingsService } from '../config/settings';
import type { Settings } from '../config/settings-schema';
import { readOrCreateVerpSecret } from '../delivery/verp';
import { DkimKeyStore } from '../dkim/key-store';
import { LoginTickets } from '../intake/login-tickets';
import { IntakeServer } from '../intake/server';
import {
  loadCustomCertificate,
  loadOrCreateGeneratedCertificate,
  type TlsMaterial,
} from '../intake/tls-certificate';
import { WebhookDispatcher } from '../notify/webhook-dispatcher';
import { DeliveryEngine } from '../queue/delivery-engine';
import { QuotaAlerts } from '../quota/alerts';
import { QuotaLedger } from '../quota/ledger';
import { startRetention } from '../retention/cleanup';
import { createServices } from '../services';
import { startActivityPublisher } from '../services/connection-view';
import type { Dispatch, Handlers } from '../services/dispatch';
import { relayStatus } from '../services/status';
import { SIMULATOR_MTA } from '../simulator/reports';
import { SimulatedMx } from '../simulator/simulated-mx';
import { reconcileSpool } from '../spool/reconcile';
import { Spool } from '../spool/spool';
import { startStatsPublisher } from '../stats/publisher';
import { openStore, type Store } from '../store/store';
import { type Clock, systemClock } from './clock';
import type { EngineContext } from './context';
import { EngineEvents } from './events';
import { Health } from './health';
import { acquireInstanceLock } from './instance-lock';
import { listenAs } from './listen-failure';
import { type Logger, lineLogger } from './logger';
import { certificateHostNames } from './public-host';
import { type Resolver, systemResolver } from './resolver';
import { startThrottledPublisher } from './throttled-publisher';

/** "host:port" (IPv6 in brackets) → [host, port]. */
function splitHostPort(value: string): [string, string] {
  const at = value.lastIndexOf(':');
  return [value.slice(0, at).replace(/^\[|\]$/g, ''), value.slice(at + 1)];
}

/** Ports a previous run in this process picked for listeners set to 0; a restart reuses them. */
export interface PortsPicked {
  smtp?: number;
  bounces?: number;
  console?: number;
}

export interface EngineOptions {
  dataDir: string;
  /** This run's settings from flags/env; never stored. */
  overrides?: Partial<Settings>;
  clock?: Clock;
  resolver?: Resolver;
  log?: Logger;
  /** Port MX hosts are reached on (25); tests run their MX servers on free ports. */
  mxPort?: number;
  /** better-sqlite3 binary for this runtime (desktop builds ship an Electron-ABI one). */
  sqliteBinding?: string;
  /** The OS keychain (Electron safeStorage on the desktop) for secrets; headless uses a key file. */
  osSecretStorage?: OsSecretStorage;
  /** How the program running the engine restarts it (relay.restart); see EngineContext.restart. */
  restart?: () => void;
  /** After a restart whose saved listening values could not be used: the previous ones, still waiting. */
  heldBack?: Partial<Settings>;
  /** After a restart: the ports picked before, for listeners still set to 0. */
  portsPicked?: PortsPicked;
}

export interface Engine {
  context: EngineContext;
  layout: DataDirLayout;
  handlers: Handlers;
  dispatch: Dispatch;
  events: EngineEvents;
  stop(): Promise<void>;
}

/** Composition root: config → store → services → listeners. `stop()` undoes it in reverse. */
export async function startEngine(options: EngineOptions): Promise<Engine> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? lineLogger();
  const layout = prepareDataDir(options.dataDir);
  const releaseLock = acquireInstanceLock(layout.lock, layout.root);
  const cleanup: (() => void | Promise<void>)[] = [releaseLock];
  const stop = async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  };

  try {
    const store: Store = openStore(
      layout.database,
      options.sqliteBinding ? { nativeBinding: options.sqliteBinding } : {},
    );
    cleanup.push(() => store.close());
    const localBox = localSecretBox(readOrCreateSecretKey(layout.secretKey));
    const secrets = options.osSecretStorage ? desktopSecretBox(options.osSecretStorage, localBox) : localBox;
    const settings = new SettingsService(store.settings, options.overrides, secrets, options.heldBack);
    // A secret found in clear was sealed just now: checkpoint so its clear copy leaves the WAL too.
    if (settings.sealedAtStart.length > 0) store.db.pragma('wal_checkpoint(TRUNCATE)');
    if (layout.permissionsFixed)
      log.warn('permissions-fixed', { entries: layout.permissionsFixed, mode: '0700/0600' });
    const events = new EngineEvents();
    const health = new Health(clock, log);
    for (const key of settings.unreadableSecrets) {
      health.report(
        'settings',
        new Error(
          `${key} is stored sealed in a way this run cannot open (another computer's keychain or key file)`,
        ),
        `Enter ${key} again under Settings.`,
        `settings:${key}`,
      );
    }
    cleanup.push(
      settings.onChange((changed) => {
        for (const key of changed) health.clear(`settings:${key}`);
      }),
    );
    events.onListenerError = (err, event) =>
      log.error('event-listener-failed', { event: event.type, error: (err as Error)?.stack ?? String(err) });

    const generatedCertificate = () =>
      loadOrCreateGeneratedCertificate(
        layout.tls,
        clock.now(),
        certificateHostNames(settings.get('smtp.publicHost'), settings.get('smtp.host')),
      );
    const loadCertificate = (certFile: string, keyFile: string): Promise<TlsMaterial> =>
      certFile ? loadCustomCertificate(certFile, keyFile) : generatedCertificate();
    let tls: TlsMaterial;
    try {
      tls = await loadCertificate(settings.get('smtp.tlsCertFile'), settings.get('smtp.tlsKeyFile'));
    } catch (err) {
      log.error('tls-certificate', { error: (err as Error).message, fallback: 'generated' });
      tls = await generatedCertificate();
    }

    const spool = new Spool(layout.spool, store.bodies);
    const cutOff = await spool.sweepIncoming();
    if (cutOff > 0) log.info('spool-swept', { partial: cutOff });

    const context: EngineContext = {
      version: pkg.version,
      startedAt: clock.now(),
      dataDir: layout.root,
      store,
      spool,
      dkimKeys: new DkimKeyStore(layout.dkim),
      settings,
      clock,
      resolver: options.resolver ?? systemResolver,
      mxPort: options.mxPort ?? 25,
      events,
      log,
      health,
      smtp: {
        host: settings.get('smtp.host'),
        port: settings.get('smtp.port') || (options.portsPicked?.smtp ?? 0),
      },
      tls: () => tls,
      ...(options.restart ? { restart: options.restart } : {}),
      applyCertificate: async (certFile, keyFile) => {
        const material = await loadCertificate(certFile, keyFile);
        tls = material;
        intake.useCertificate(material);
        bounceListener.useCertificate(material);
        simulator.useCertificate(material.key, material.cert);
        log.info('tls-certificate', {
          source: material.info.source,
          fingerprint: material.info.fingerprint256,
        });
        return material;
      },
    };

    const quota = new QuotaLedger(context);
    quota.init(clock.now());
    context.quota = quota;
    context.quotaAlerts = new QuotaAlerts(context, quota);

    // Stopped after delivery (cleanup runs in reverse): the last outcomes' events are in the outbox.
    const webhooks = new WebhookDispatcher(context, secrets);
    context.webhooks = webhooks;
    webhooks.start();
    cleanup.push(() => webhooks.stop());

    const verpSecret = readOrCreateVerpSecret(layout.verpSecret);
    const recorder = new BounceRecorder(context);
    context.bounces = recorder;

    // Simulator addresses are delivered to this server (stopped after delivery: cleanup runs in reverse).
    const simulator = new SimulatedMx(context, verpSecret);
    const simulatorBound = await simulator.listen();
    context.simulator = {
      host: SIMULATOR_MTA,
      address: simulatorBound.address,
      port: simulatorBound.port,
    };
    cleanup.push(() => simulator.close());
    log.info('simulator-listening', { host: simulatorBound.address, port: simulatorBound.port });

    // Stopped after the intake (cleanup runs in reverse): no new mail, then in-flight deliveries finish.
    const delivery = new DeliveryEngine(context, verpSecret);
    context.delivery = delivery;
    delivery.start();
    cleanup.push(() => delivery.stop());

    const bounceListener = new BounceListener(context, recorder, verpSecret, tls);
    const [bounceHost = '127.0.0.1', bounceSetting = '2526'] = splitHostPort(settings.get('bounces.listen'));
    const bouncePort = Number(bounceSetting) || (options.portsPicked?.bounces ?? 0);
    const bounceBound = await listenAs('bounces', bounceHost, bouncePort, () =>
      bounceListener.listen(bounceHost, bouncePort),
    );
    context.bounceListener = { host: bounceHost, port: bounceBound.port };
    cleanup.push(() => bounceListener.close());

    context.loginTickets = new LoginTickets(clock);
    // Written out after the intake has closed (cleanup runs in reverse), so no refusal is lost.
    const activity = new ActivityLog(context);
    context.activity = activity;
    cleanup.push(async () => activity.write());
    const intake = new IntakeServer({ ...context }, tls);
    const bound = await listenAs('smtp', context.smtp.host, context.smtp.port, () =>
      intake.listen(context.smtp.host, context.smtp.port),
    );
    context.smtp.port = bound.port;
    cleanup.push(() => intake.close());
    cleanup.push(
      settings.onChange((changed) => {
        if (changed.includes('smtp.maxMessageBytes'))
          intake.setMaxMessageBytes(settings.get('smtp.maxMessageBytes'));
      }),
    );
    // Pushed only while a console listens (an event stream, the desktop window: the tray reads
    // these too, and the desktop transport stays attached for as long as the app runs).
    cleanup.push(
      startThrottledPublisher(events, 'status.changed', () => relayStatus(context), {
        onlyForConsoles: true,
        onError: (err) => log.error('status-push-failed', { error: (err as Error).message }),
      }),
    );
    // A problem appearing or clearing is rare and worth showing at once.
    cleanup.push(
      health.onChange(() => {
        if (events.consoleCount() > 0) events.emit('status.changed', relayStatus(context));
      }),
    );
    cleanup.push(startActivityPublisher(context));
    cleanup.push(startStatsPublisher(context));
    cleanup.push(startRetention(context));
    const index = {
      keptBodies: (ids: string[]) => store.retention.keptBodies(ids),
      knownReports: (ids: string[]) => store.bounces.knownReports(ids),
    };
    const reconciling = reconcileSpool(spool, index, context.startedAt).then(
      ({ messages, reports }) => log.info('spool-reconciled', { orphans: messages, reports }),
      (err: unknown) =>
        health.report(
          'store',
          err,
          'Check that the data folder is readable; restart Relaydesk.',
          'store:reconcile',
        ),
    );
    cleanup.push(() => reconciling);

    log.info('smtp-listening', { host: context.smtp.host, port: bound.port, tls: tls.info.fingerprint256 });
    const { handlers, dispatch } = createServices(context);
    return { context, layout, handlers, dispatch, events, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
