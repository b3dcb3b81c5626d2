import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import {
  SMTPServer,
  type SMTPServerAddress,
  type SMTPServerOptions,
  type SMTPServerSession,
} from 'smtp-server';
import type { SMTPConnection } from 'smtp-server/lib/smtp-connection';
import type { SettingsService } from '../config/settings';
import { authenticate } from '../credentials/authenticate';
import type { Health } from '../engine/health';
import type { Logger } from '../engine/logger';
import type { QuotaLedger } from '../quota/ledger';
import type { ConnectionRecord } from '../store/connections-repo';
import { type AcceptDeps, acceptMessage } from './accept';
import { ConnectionCaps } from './connection-caps';
import { installEnhancedStatusPatch } from './enhanced-status-patch';
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
import { connectionKey, LIVE_KEY, Reservations, SessionReservations } from './reservations';
import { attachSessionHooks } from './session-hooks-patch';
import { SessionWatch } from './session-watch';
import { type SmtpReply, smtpReply } from './smtp-reply';
import type { TlsMaterial } from './tls-certificate';

export interface IntakeDeps extends AcceptDeps {
  settings: SettingsService;
  log: Logger;
  health: Health;
  quota?: QuotaLedger;
}

const MINUTE_MS = 60_000;

/** Commands that end the mail transaction in progress (smtp-server resets the envelope, or closes). */
const ENDS_TRANSACTION = new Set(['RSET', 'EHLO', 'HELO', 'STARTTLS', 'QUIT']);

const INTAKE_NEXT_STEP =
  'The client was told to try again later. If this keeps happening, check free disk space, the data folder and the log.';

/** Connection id of the logged-in connection, kept in smtp-server's session.user. */
const connectionIdOf = (session: SMTPServerSession): string | undefined =>
  typeof session.user === 'string' ? session.user : undefined;

const untilText = (until: number) => new Date(until).toISOString().replace(/\.\d+Z$/, 'Z');

/** A client that went away in the middle of DATA: the mail is simply not accepted. */
const clientWentAway = (err: unknown) =>
  ['ECONNECTION', 'ERR_STREAM_PREMATURE_CLOSE'].includes(String((err as NodeJS.ErrnoException)?.code));

/** What the intake keeps per open session, from its greeting until its connection closes. */
interface Tracked {
  watch: SessionWatch;
  connection?: SMTPConnection;
  /** A deadline that passed during the TLS handshake, when no reply can be written; said after it. */
  expired?: SmtpReply;
}

/**
 * The SMTP relay's front door: connection caps, STARTTLS, then AUTH, then the guard checklist,
 * then durable acceptance. There is no path to 250 without TLS and a login: never an open relay.
 */
export class IntakeServer {
  private server: SMTPServer | undefined;
  private readonly lockout: AuthLockout;

  constructor(
    private readonly deps: IntakeDeps,
    private tls: TlsMaterial,
  ) {
    installEnhancedStatusPatch();
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
    const caps = new ConnectionCaps(() => ({
      total: settings.get('smtp.maxConnections'),
      perAddress: settings.get('smtp.maxConnectionsPerAddress'),
    }));
    const tracked = new Map<string, Tracked>();
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

    /** A session broke a deadline: 421 and close (after the TLS handshake, if one is running). */
    const tooSlow = (sessionId: string, reply: SmtpReply) => {
      const t = tracked.get(sessionId);
      const connection = t?.connection;
      log.info('refused', { ip: connection?.remoteAddress, reason: 'too-slow', reply: reply.toString() });
      if (!t || !connection) return;
      if (connection._upgrading) t.expired = reply;
      else connection.send(reply.responseCode, reply.message);
    };

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
              ),
            );
          }
          const capped = caps.admit(session.id, ip);
          if (capped) {
            log.warn('refused', { ip, reason: 'connections', reply: capped.toString() });
            return callback(capped);
          }
          const watch = new SessionWatch(
            {
              commandMs: settings.get('smtp.commandTimeoutSeconds') * 1000,
              dataHeadStartMs: settings.get('smtp.dataTimeoutSeconds') * 1000,
              minDataBytesPerSecond: settings.get('smtp.minDataBytesPerSecond'),
              unauthenticatedCommands: settings.get('smtp.unauthenticatedCommandLimit'),
            },
            (reply) => tooSlow(session.id, reply),
          );
          tracked.set(session.id, { watch });
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
        const expired = tracked.get(session.id)?.expired;
        if (expired) return callback(expired);
        session.disabledCommands = [];
        callback();
      },

      onAuth: (auth, session, callback) => {
        const ip = session.remoteAddress;
        const check = async (): Promise<SmtpReply | { user: string }> => {
          const refuse = requireTls(session);
          if (refuse) return refuse;
          // Waits while as many checks as failures are still allowed run for this address.
          const gate = await this.lockout.begin(ip);
          if ('lockedUntil' in gate) {
            log.warn('auth-refused', { ip, reason: 'locked-out' });
            return smtpReply(
              454,
              '4.7.0',
              `Too many failed logins from ${ip}; try again after ${untilText(gate.lockedUntil)}`,
            );
          }
          if ('busy' in gate) {
            log.warn('auth-refused', { ip, reason: 'logins-pending' });
            return smtpReply(
              454,
              '4.7.0',
              `Too many failed and pending logins from ${ip} (at most ${settings.get('smtp.authFailureLimit')} in ${settings.get('smtp.authFailureWindowMinutes')} minutes); try again in a few minutes`,
            );
          }
          let connection: ConnectionRecord | undefined;
          try {
            connection = await authenticate(store.connections, auth.username ?? '', auth.password ?? '');
          } catch (err) {
            gate.attempt.done();
            return failed(
              err,
              smtpReply(454, '4.7.0', 'Temporary authentication failure in Relaydesk; try again later'),
            );
          }
          if (!connection) {
            const lockedUntil = gate.attempt.failed();
            log.warn('auth-failed', {
              ip,
              user: auth.username,
              locked: lockedUntil ? untilText(lockedUntil) : undefined,
            });
            return smtpReply(
              535,
              '5.7.8',
              'Authentication credentials invalid: check the username and password of the connection',
            );
          }
          gate.attempt.done();
          log.info('auth', { ip, conn: connection.id });
          if (rejectIfDisabled(connection)) {
            return smtpReply(
              535,
              '5.7.8',
              `Connection "${connection.name}" is disabled in Relaydesk; enable it under Connections`,
            );
          }
          return { user: connection.id };
        };
        check().then(
          (result) => (result instanceof Error ? callback(result) : callback(null, result)),
          (err: unknown) =>
            callback(
              failed(
                err,
                smtpReply(454, '4.7.0', 'Temporary authentication failure in Relaydesk; try again later'),
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
        const watch = tracked.get(session.id)?.watch;
        if (watch) {
          stream.on('data', (chunk: Buffer) => watch.dataReceived(chunk.length));
          stream.once('end', () => watch.dataEnded());
        }
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
        try {
          caps.release(session.id);
          holds.release(session.id);
          tracked.get(session.id)?.watch.stop();
          tracked.delete(session.id);
        } catch (err) {
          health.report('intake', err, INTAKE_NEXT_STEP);
        }
      },
    };
    // smtp-server's idle timeout (restarted by every byte) only backs up SessionWatch's deadlines;
    // read per socket, so a changed setting applies to the next connection.
    Object.defineProperty(options, 'socketTimeout', {
      enumerable: true,
      get: () =>
        Math.max(settings.get('smtp.commandTimeoutSeconds'), settings.get('smtp.dataTimeoutSeconds'), 60) *
          1000 +
        5_000,
    });

    const server = new SMTPServer(options);
    attachSessionHooks(server, {
      command: (connection, name) => {
        try {
          const t = tracked.get(connection.id);
          if (!t) return undefined;
          t.connection = connection;
          if (ENDS_TRANSACTION.has(name)) holds.release(connection.id);
          const refusal = t.watch.command(Boolean(connection.session.user));
          if (refusal) {
            log.info('refused', {
              ip: connection.remoteAddress,
              reason: 'unauthenticated-commands',
              reply: refusal.toString(),
            });
          }
          return refusal;
        } catch (err) {
          health.report('intake', err, INTAKE_NEXT_STEP);
          return undefined;
        }
      },
      replied: (connection, code) => {
        try {
          const t = tracked.get(connection.id);
          if (!t) return;
          t.connection = connection;
          t.watch.replied(code);
        } catch (err) {
          health.report('intake', err, INTAKE_NEXT_STEP);
        }
      },
    });
    return server;
  }
}
