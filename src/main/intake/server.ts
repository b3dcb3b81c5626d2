import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import {
  SMTPServer,
  type SMTPServerAddress,
  type SMTPServerOptions,
  type SMTPServerSession,
} from 'smtp-server';
import type { ActivityLog } from '../activity/activity-log';
import type { SettingsService } from '../config/settings';
import { LoginCache } from '../credentials/authenticate';
import type { Health } from '../engine/health';
import type { Logger } from '../engine/logger';
import type { QuotaLedger } from '../quota/ledger';
import type { ConnectionRecord } from '../store/connections-repo';
import { type AcceptDeps, acceptMessage } from './accept';
import { acceptCommit } from './accept-commit';
import { ActivityTap } from './activity-tap';
import { installDataScanPatch } from './data-scan-patch';
import { installEnhancedStatusPatch } from './enhanced-status-patch';
import { installGreetingPatch } from './greeting-patch';
import {
  firstRefusal,
  limitRecipients,
  rejectIfDemoLimited,
  rejectIfDisabled,
  rejectIfRateLimited,
  rejectIfSuppressed,
  requireAuth,
  requireTls,
  requireValidRecipient,
} from './guards';
import { AuthLockout } from './lockout';
import { checkLogin, untilText } from './login';
import type { LoginTickets } from './login-tickets';
import { connectionKey, LIVE_KEY, Reservations, SessionReservations } from './reservations';
import { SessionGuard } from './session-guard';
import { type SmtpReply, smtpReply } from './smtp-reply';
import type { TlsMaterial } from './tls-certificate';

export interface IntakeDeps extends AcceptDeps {
  settings: SettingsService;
  log: Logger;
  health: Health;
  quota?: QuotaLedger;
  /** One-time logins of the console's test mail. */
  loginTickets?: LoginTickets;
  /** Where refused commands and sessions are recorded. */
  activity?: ActivityLog;
}

const MINUTE_MS = 60_000;

/** Commands that end the mail transaction in progress (smtp-server resets the envelope, or closes). */
const ENDS_TRANSACTION = new Set(['RSET', 'EHLO', 'HELO', 'STARTTLS', 'QUIT']);

const INTAKE_NEXT_STEP =
  'The client was told to try again later. If this keeps happening, check free disk space, the data folder and the log.';

/** Connection id of the logged-in connection, kept in smtp-server's session.user. */
const connectionIdOf = (session: SMTPServerSession): string | undefined =>
  typeof session.user === 'string' ? session.user : undefined;

/** A client that went away in the middle of DATA: the mail is simply not accepted. */
const clientWentAway = (err: unknown) =>
  ['ECONNECTION', 'ERR_STREAM_PREMATURE_CLOSE'].includes(String((err as NodeJS.ErrnoException)?.code));

/**
 * The SMTP relay's front door: connection caps, STARTTLS, then AUTH, then the guard checklist,
 * then durable acceptance. There is no path to 250 without TLS and a login: never an open relay.
 */
export class IntakeServer {
  private server: SMTPServer | undefined;
  private readonly lockout: AuthLockout;
  private readonly logins = new LoginCache();
  private readonly tap: ActivityTap | undefined;

  constructor(
    private deps: IntakeDeps,
    private tls: TlsMaterial,
  ) {
    installEnhancedStatusPatch();
    installGreetingPatch();
    installDataScanPatch();
    // Mails that finish together are written and stored together; each 250 waits for its commit.
    this.deps = { ...deps, commitAccepted: acceptCommit(deps.store, deps.spool) };
    this.tap = deps.activity && new ActivityTap(deps.activity);
    const s = deps.settings;
    this.lockout = new AuthLockout(deps.clock, () => ({
      failureLimit: s.get('smtp.authFailureLimit'),
      windowMs: s.get('smtp.authFailureWindowMinutes') * MINUTE_MS,
      lockMs: s.get('smtp.lockoutMinutes') * MINUTE_MS,
    }));
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    const server = this.create();
    this.server = server;
    // smtp-server re-emits its socket server's errors on itself: a listener must be there first.
    server.on('error', (err) => {
      this.tap?.tlsFailed(err);
      if (server.server.listening) this.deps.log.error('smtp-error', { error: err.message });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server.server.address() as AddressInfo;
  }

  /** Swaps the certificate for new STARTTLS sessions; open sessions keep theirs. */
  useCertificate(tls: TlsMaterial): void {
    this.tls = tls;
    this.server?.updateSecureContext({ key: tls.key, cert: tls.cert });
  }

  /** Applies a new size limit to the SIZE advertisement and the 552 check of new transactions. */
  setMaxMessageBytes(bytes: number): void {
    if (this.server) (this.server.options as { size?: number }).size = bytes;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    // smtp-server waits for open sessions to finish up to closeTimeout, then drops them.
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private create(): SMTPServer {
    const { settings, store, log, clock, health } = this.deps;
    const reservations = new Reservations(clock);
    const holds = new SessionReservations();
    const guard = new SessionGuard({
      listener: 'smtp',
      caps: () => ({
        total: settings.get('smtp.maxConnections'),
        perAddress: settings.get('smtp.maxConnectionsPerAddress'),
      }),
      policy: () => ({
        commandMs: settings.get('smtp.commandTimeoutSeconds') * 1000,
        dataHeadStartMs: settings.get('smtp.dataTimeoutSeconds') * 1000,
        minDataBytesPerSecond: settings.get('smtp.minDataBytesPerSecond'),
        unauthenticatedCommands: settings.get('smtp.unauthenticatedCommandLimit'),
      }),
      log,
      health,
      area: 'intake',
      healthKey: 'intake',
      nextStep: INTAKE_NEXT_STEP,
      // A command that ends the transaction gives back what it held.
      onCommand: (sessionId, name, line) => {
        if (ENDS_TRANSACTION.has(name)) holds.release(sessionId);
        this.tap?.command(sessionId, name, line);
      },
      onReply: (connection, code) => this.tap?.replied(connection, code),
    });
    const rateLimit = rejectIfRateLimited(store.messages, clock, (id) =>
      reservations.held(connectionKey(id)),
    );
    const suppressed = rejectIfSuppressed(store.suppressions);
    const demoLimit = rejectIfDemoLimited(
      () => this.deps.quota?.demoLimitedUntil(clock.now(), reservations.held(LIVE_KEY)),
      () => settings.get('quota.demoHourlyLimit'),
    );
    /** The limits a mail of this connection counts against: its hourly limit and, when live, the demo's. */
    const limitKeys = (connection: ConnectionRecord) => [
      connectionKey(connection.id),
      ...(connection.mode === 'live' ? [LIVE_KEY] : []),
    ];
    /** Refusals after login count in the statistics as rejected at intake. */
    const rejected = (connectionId: string | undefined, refusal: SmtpReply | undefined) => {
      if (!refusal || !connectionId) return;
      const at = clock.now();
      store.messages.recordRejection(connectionId, refusal.toString(), at);
      this.deps.events.emit('intake.rejected', { connectionId, reply: refusal.toString(), at });
    };
    /** An unexpected error in a callback: reported as a problem of the intake, answered with `reply`. */
    const failed = (err: unknown, reply: SmtpReply): SmtpReply => {
      health.report('intake', err, INTAKE_NEXT_STEP);
      return reply;
    };
    const tryAgain = () =>
      smtpReply(451, '4.3.0', 'Relaydesk had an internal problem with this command; try again later');

    const options: SMTPServerOptions = {
      name: undefined,
      banner: 'Relaydesk transactional mail relay',
      key: this.tls.key,
      cert: this.tls.cert,
      size: settings.get('smtp.maxMessageBytes'),
      authMethods: ['PLAIN', 'LOGIN'],
      // Relaydesk enforces TLS and AUTH itself (guards) so each refusal says exactly what is missing.
      // That also switches off smtp-server's maxAllowedUnauthenticatedCommands (it only counts
      // with authOptional false, and only once AUTH is offered, i.e. never before STARTTLS here):
      // the command budget before login is SessionWatch's.
      authOptional: true,
      allowInsecureAuth: false,
      disableReverseLookup: true,
      hideDSN: true,
      hideENHANCEDSTATUSCODES: false,
      hideREQUIRETLS: true,
      closeTimeout: 5_000,
      logger: false,

      onConnect: (session, callback) => {
        try {
          const ip = session.remoteAddress;
          const until = this.lockout.lockedUntil(ip);
          if (until) {
            log.warn('refused', { ip, reason: 'locked-out' });
            return callback(
              smtpReply(
                421,
                '4.7.0',
                `Too many failed logins from ${ip}; try again after ${untilText(until)}`,
                'lockout',
              ),
            );
          }
          const capped = guard.admit(session);
          if (capped) return callback(capped);
          // Before STARTTLS, AUTH is neither offered nor accepted.
          if (!session.secure) session.disabledCommands = ['AUTH'];
          callback();
        } catch (err) {
          callback(
            failed(err, smtpReply(421, '4.3.0', 'Relaydesk had an internal problem; try again later')),
          );
        }
      },

      onSecure: (_socket, session, callback) => {
        const expired = guard.expired(session.id);
        if (expired) return callback(expired);
        session.disabledCommands = [];
        callback();
      },

      onAuth: (auth, session, callback) => {
        const login = {
          store,
          settings,
          log,
          lockout: this.lockout,
          logins: this.logins,
          failed,
          tickets: this.deps.loginTickets,
        };
        checkLogin(login, auth, session).then(
          (result) => (result instanceof Error ? callback(result) : callback(null, result)),
          (err: unknown) =>
            callback(
              failed(
                err,
                smtpReply(
                  454,
                  '4.7.0',
                  'Temporary authentication failure in Relaydesk; try again later',
                  'internal',
                ),
              ),
            ),
        );
      },

      onMailFrom: (_address: SMTPServerAddress, session, callback) => {
        try {
          // A new transaction gives back whatever the previous one still held.
          holds.release(session.id);
          const connectionId = connectionIdOf(session);
          const connection = connectionId ? store.connections.get(connectionId) : undefined;
          const refusal = firstRefusal(
            () => requireTls(session),
            () => requireAuth({ connectionId }),
            () => rejectIfDisabled(connection),
            () => (connection ? rateLimit(connection) : undefined),
            () => (connection ? demoLimit(connection) : undefined),
          );
          // In the same synchronous step as the check: no other session can pass it meanwhile.
          if (!refusal && connection) holds.hold(session.id, reservations.take(limitKeys(connection)));
          if (refusal)
            log.info('refused', { conn: connectionId, ip: session.remoteAddress, reply: refusal.toString() });
          rejected(connection?.id, refusal);
          callback(refusal ?? null);
        } catch (err) {
          callback(failed(err, tryAgain()));
        }
      },

      onRcptTo: (address: SMTPServerAddress, session, callback) => {
        try {
          const refusal = firstRefusal(
            () => requireValidRecipient(address.address),
            () => suppressed(address.address),
            () => limitRecipients(settings.get('smtp.maxRecipients'))(session.envelope.rcptTo.length),
          );
          rejected(connectionIdOf(session), refusal);
          callback(refusal ?? null);
        } catch (err) {
          callback(failed(err, tryAgain()));
        }
      },

      onData: (stream: Readable, session, callback) => {
        // From here the mail's places are released by this handler, once it is stored or refused.
        const reservation = holds.detach(session.id);
        guard.watchData(session.id, stream);
        const answer = (reply: SmtpReply | null, message?: string) => {
          reservation?.release();
          callback(reply, message);
        };
        try {
          const connectionId = connectionIdOf(session);
          const connection = connectionId ? store.connections.get(connectionId) : undefined;
          const refusal = rejectIfDisabled(connection);
          if (refusal || !connection) {
            stream.resume();
            return answer(refusal ?? null);
          }
          const tlsInfo = session.tlsOptions
            ? `${session.tlsOptions.version} ${session.tlsOptions.name}`
            : '';
          acceptMessage(
            stream,
            {
              connection,
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              recipients: session.envelope.rcptTo.map((r) => r.address),
              client: {
                address: session.remoteAddress,
                helo: session.hostNameAppearsAs,
                tls: tlsInfo,
                reverseName: session.clientHostname || undefined,
              },
              relayName: settings.get('smtp.publicHost') || hostname(),
            },
            settings.get('smtp.maxMessageBytes'),
            this.deps,
          )
            .then(
              (outcome) => {
                if (outcome.accepted) {
                  health.clear('intake');
                  return answer(null, `2.0.0 Ok: queued as ${outcome.id}`);
                }
                // For an oversized mail smtp-server sends its own 552 5.3.4 whatever is passed here.
                rejected(connection.id, outcome.refusal);
                answer(outcome.refusal);
              },
              (err: Error) => {
                stream.resume();
                if (clientWentAway(err)) {
                  log.info('aborted', {
                    conn: connection.id,
                    ip: session.remoteAddress,
                    reason: err.message,
                  });
                  return answer(smtpReply(451, '4.3.0', 'The connection ended before the mail was complete'));
                }
                log.error('accept-failed', { conn: connection.id, error: err.message });
                answer(
                  failed(
                    err,
                    smtpReply(
                      451,
                      '4.3.0',
                      'Relaydesk could not store the mail; it was not accepted, try again later',
                    ),
                  ),
                );
              },
            )
            .catch((err: unknown) => health.report('intake', err, INTAKE_NEXT_STEP));
        } catch (err) {
          stream.resume();
          answer(failed(err, tryAgain()));
        }
      },

      onClose: (session) => {
        guard.close(session.id);
        holds.release(session.id);
      },
    };
    guard.backUpIdleTimeout(options);
    const server = new SMTPServer(this.tap ? this.tap.wrap(options) : options);
    guard.attach(server);
    return server;
  }
}
