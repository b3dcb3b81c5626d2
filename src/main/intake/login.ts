import type { SMTPServerAuthentication, SMTPServerSession } from 'smtp-server';
import type { SettingsService } from '../config/settings';
import { authenticate, type LoginCache } from '../credentials/authenticate';
import type { Logger } from '../engine/logger';
import type { ConnectionRecord } from '../store/connections-repo';
import type { Store } from '../store/store';
import { rejectIfDisabled, requireTls } from './guards';
import type { AuthLockout } from './lockout';
import type { LoginTickets } from './login-tickets';
import { type SmtpReply, smtpReply } from './smtp-reply';

export interface LoginDeps {
  store: Store;
  settings: SettingsService;
  log: Logger;
  lockout: AuthLockout;
  /** Logins verified before in this process: they skip scrypt. */
  logins: LoginCache;
  /** An unexpected error: reported, answered with the reply given. */
  failed(err: unknown, reply: SmtpReply): SmtpReply;
  /** One-time logins of the console's test mail (connections.sendTest). */
  tickets?: LoginTickets;
}

/** A lock's end as the SMTP replies say it: `2026-12-01T10:00:00Z`. */
export const untilText = (until: number) => new Date(until).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * One AUTH attempt: TLS first; then the lockout gate, which counts checks still running so that
 * parallel attempts cannot get past the failure limit; then the password check (scrypt). Resolves
 * to the refusal or the logged-in connection's id.
 */
export async function checkLogin(
  deps: LoginDeps,
  auth: SMTPServerAuthentication,
  session: SMTPServerSession,
): Promise<SmtpReply | { user: string }> {
  const { store, settings, log, lockout, failed } = deps;
  const ip = session.remoteAddress;
  const refuse = requireTls(session);
  if (refuse) return refuse;
  const ticketed = deps.tickets?.redeem(auth.username ?? '', auth.password ?? '');
  if (ticketed) return ticketLogin(store.connections.get(ticketed), ip, log);
  // Waits while as many checks as failures are still allowed run for this address.
  const gate = await lockout.begin(ip);
  if ('lockedUntil' in gate) {
    log.warn('auth-refused', { ip, reason: 'locked-out' });
    return smtpReply(
      454,
      '4.7.0',
      `Too many failed logins from ${ip}; try again after ${untilText(gate.lockedUntil)}`,
      'lockout',
    );
  }
  if ('busy' in gate) {
    log.warn('auth-refused', { ip, reason: 'logins-pending' });
    return smtpReply(
      454,
      '4.7.0',
      `Too many failed and pending logins from ${ip} (at most ${settings.get('smtp.authFailureLimit')} in ${settings.get('smtp.authFailureWindowMinutes')} minutes); try again in a few minutes`,
      'lockout',
    );
  }
  let connection: ConnectionRecord | undefined;
  try {
    connection = await authenticate(store.connections, auth.username ?? '', auth.password ?? '', deps.logins);
  } catch (err) {
    gate.attempt.done();
    return failed(
      err,
      smtpReply(454, '4.7.0', 'Temporary authentication failure in Relaydesk; try again later', 'internal'),
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
  return disabledLogin(connection) ?? { user: connection.id };
}

const disabledLogin = (connection: ConnectionRecord): SmtpReply | undefined =>
  rejectIfDisabled(connection)
    ? smtpReply(
        535,
        '5.7.8',
        `Connection "${connection.name}" is disabled in Relaydesk; enable it under Connections`,
      )
    : undefined;

/** A test-mail ticket's login: its connection, unless it was deleted or disabled meanwhile. */
function ticketLogin(
  connection: ConnectionRecord | undefined,
  ip: string,
  log: Logger,
): SmtpReply | { user: string } {
  if (!connection) return smtpReply(535, '5.7.8', 'This connection no longer exists in Relaydesk');
  const refusal = disabledLogin(connection);
  if (refusal) return refusal;
  log.info('auth', { ip, conn: connection.id, via: 'test-mail' });
  return { user: connection.id };
}
