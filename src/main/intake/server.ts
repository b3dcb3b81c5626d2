import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { SettingsService } from '../config/settings';
import { authenticate } from '../credentials/authenticate';
import type { Health } from '../engine/health';
import type { Logger } from '../engine/logger';
import type { QuotaLedger } from '../quota/ledger';
import { isFatalStoreError } from '../store/store-errors';
import { type AcceptDeps, acceptMessage } from './accept';
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
import { type SmtpReply, smtpReply } from './smtp-reply';
import type { TlsMaterial } from './tls-certificate';

export interface IntakeDeps extends AcceptDeps {
  settings: SettingsService;
  log: Logger;
  health?: Health;
  quota?: QuotaLedger;
}

const MINUTE_MS = 60_000;

/** Connection id of the logged-in connection, kept in smtp-server's session.user. */
const connectionIdOf = (session: SMTPServerSession): string | undefined =>
  typeof session.user === 'string' ? session.user : undefined;

const untilText = (until: number) => new Date(until).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * The SMTP relay's front door: STARTTLS, then AUTH, then the guard checklist, then durable
 * acceptance. There is no path to 250 without TLS and a login: never an open relay.
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
    const { settings, store, log } = this.deps;
    const rateLimit = rejectIfRateLimited(store.messages, this.deps.clock);
    const suppressed = rejectIfSuppressed(store.suppressions);
    const demoLimit = rejectIfDemoLimited(
      () => this.deps.quota?.demoLimitedUntil(this.deps.clock.now()),
      () => settings.get('quota.demoHourlyLimit'),
    );
    /** Refusals after login count in the statistics as rejected at intake. */
    const rejected = (connectionId: string | undefined, refusal: SmtpReply | undefined) => {
      if (!refusal || !connectionId) return;
      const at = this.deps.clock.now();
      store.messages.recordRejection(connectionId, refusal.toString(), at);
      this.deps.events.emit('intake.rejected', { connectionId, reply: refusal.toString(), at });
    };

    return new SMTPServer({
      name: undefined,
      banner: 'Relaydesk transactional mail relay',
      key: this.tls.key,
      cert: this.tls.cert,
      size: settings.get('smtp.maxMessageBytes'),
      authMethods: ['PLAIN', 'LOGIN'],
      // Relaydesk enforces TLS and AUTH itself (guards) so each refusal says exactly what is missing.
      authOptional: true,
      allowInsecureAuth: false,
      disableReverseLookup: true,
      hideDSN: true,
      hideENHANCEDSTATUSCODES: false,
      hideREQUIRETLS: true,
      closeTimeout: 5_000,
      logger: false,

      onConnect: (session, callback) => {
        const until = this.lockout.lockedUntil(session.remoteAddress);
        if (until) {
          log.warn('refused', { ip: session.remoteAddress, reason: 'locked-out' });
          return callback(
            smtpReply(
              421,
              '4.7.0',
              `Too many failed logins from ${session.remoteAddress}; try again after ${untilText(until)}`,
            ),
          );
        }
        // Before STARTTLS, AUTH is neither offered nor accepted.
        if (!session.secure) session.disabledCommands = ['AUTH'];
        callback();
      },

      onSecure: (_socket, session, callback) => {
        session.disabledCommands = [];
        callback();
      },

      onAuth: (auth, session, callback) => {
        const ip = session.remoteAddress;
        const refuse = requireTls(session);
        if (refuse) return callback(refuse);
        const until = this.lockout.lockedUntil(ip);
        if (until) {
          return callback(
            smtpReply(454, '4.7.0', `Too many failed logins from ${ip}; try again after ${untilText(until)}`),
          );
        }
        authenticate(store.connections, auth.username ?? '', auth.password ?? '').then(
          (connection) => {
            if (!connection) {
              const lockedUntil = this.lockout.recordFailure(ip);
              log.warn('auth-failed', {
                ip,
                user: auth.username,
                locked: lockedUntil ? untilText(lockedUntil) : undefined,
              });
              return callback(
                smtpReply(
                  535,
                  '5.7.8',
                  'Authentication credentials invalid: check the username and password of the connection',
                ),
              );
            }
            const disabled = rejectIfDisabled(connection);
            if (disabled) {
              return callback(
                smtpReply(
                  535,
                  '5.7.8',
                  `Connection "${connection.name}" is disabled in Relaydesk; enable it under Connections`,
                ),
              );
            }
            log.info('auth', { ip, conn: connection.id });
            callback(null, { user: connection.id });
          },
          (err: Error) =>
            callback(smtpReply(454, '4.7.0', `Temporary authentication failure (${err.message}); try again`)),
        );
      },

      onMailFrom: (_address: SMTPServerAddress, session, callback) => {
        const connectionId = connectionIdOf(session);
        const connection = connectionId ? store.connections.get(connectionId) : undefined;
        const refusal = firstRefusal(
          () => requireTls(session),
          () => requireAuth({ connectionId }),
          () => rejectIfDisabled(connection),
          () => (connection ? rateLimit(connection) : undefined),
          () => (connection ? demoLimit(connection) : undefined),
        );
        if (refusal)
          log.info('refused', { conn: connectionId, ip: session.remoteAddress, reply: refusal.toString() });
        rejected(connection?.id, refusal);
        callback(refusal ?? null);
      },

      onRcptTo: (address: SMTPServerAddress, session, callback) => {
        const refusal = firstRefusal(
          () => requireValidRecipient(address.address),
          () => suppressed(address.address),
          () => limitRecipients(settings.get('smtp.maxRecipients'))(session.envelope.rcptTo.length),
        );
        rejected(connectionIdOf(session), refusal);
        callback(refusal ?? null);
      },

      onData: (stream: Readable, session, callback) => {
        const connectionId = connectionIdOf(session);
        const connection = connectionId ? store.connections.get(connectionId) : undefined;
        const refusal = rejectIfDisabled(connection);
        if (refusal || !connection) {
          stream.resume();
          return callback(refusal ?? null);
        }
        const tlsInfo = session.tlsOptions ? `${session.tlsOptions.version} ${session.tlsOptions.name}` : '';
        acceptMessage(
          stream,
          {
            connection,
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            recipients: session.envelope.rcptTo.map((r) => r.address),
            client: { address: session.remoteAddress, helo: session.hostNameAppearsAs, tls: tlsInfo },
          },
          settings.get('smtp.maxMessageBytes'),
          this.deps,
        ).then(
          (outcome) => {
            if (outcome.accepted) return callback(null, `2.0.0 Ok: queued as ${outcome.id}`);
            // For an oversized mail smtp-server sends its own 552 5.3.4 whatever is passed here.
            rejected(connection.id, outcome.refusal);
            callback(outcome.refusal);
          },
          (err: Error) => {
            stream.resume();
            log.error('accept-failed', { conn: connection.id, error: err.message });
            // A damaged store stops the relay (Health); a full disk passes, and the client retries.
            if (isFatalStoreError(err)) this.deps.health?.reportFatal(err);
            callback(
              smtpReply(
                451,
                '4.3.0',
                'Relaydesk could not store the mail; it was not accepted, try again later',
              ),
            );
          },
        );
      },
    });
  }
}
