import type { SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import type { SMTPConnection } from 'smtp-server/lib/smtp-connection';
import type { ActivityLog } from '../activity/activity-log';
import { categoryOf, enhancedCodeOf } from '../activity/categories';
import { SmtpReply } from './smtp-reply';

/** What a callback refused with, kept until its reply goes out. */
interface Note {
  reply: SmtpReply;
  /** The username an AUTH tried. */
  username?: string;
  /** Refused at MAIL, RCPT or DATA: a mail refused (after login, it counts as "Rejected"). */
  mail: boolean;
}

const MAX_LINE = 300;
/** The longest address (RFC 5321): no username Relaydesk gives out is longer. */
const MAX_USERNAME = 320;

const printable = (text: string, max: number) => text.replace(/[\p{Cc}]/gu, ' ').slice(0, max);

/** A command line as the log keeps it: AUTH without its credentials, no control characters, bounded. */
function loggedLine(name: string, line: string): string {
  const words = line.trim().split(/\s+/);
  const kept = name === 'AUTH' ? words.slice(0, 2).join(' ') : line.trim();
  return printable(kept, MAX_LINE);
}

/**
 * The intake's feed of the activity log, at the one place every reply passes: the session
 * hooks' `replied`. Any reply of 400 or more is a refusal, whoever made it — a guard, the login,
 * the session guard's caps and deadlines, or smtp-server itself (size, syntax, order). The
 * option callbacks are wrapped only to keep their `SmtpReply` (its category, the username an
 * AUTH tried) for that reply. TLS handshakes that fail end without a reply: `tlsFailed`.
 */
export class ActivityTap {
  /** Each session's last command line, as received: made fit for the log only when refused. */
  private readonly lines = new Map<string, { name: string; line: string }>();
  private readonly notes = new WeakMap<SMTPServerSession, Note>();

  constructor(private readonly log: ActivityLog) {}

  /** A command line arrived (AUTH exchange lines keep the AUTH command). */
  command(sessionId: string, name: string, line: string): void {
    if (name === 'AUTH-LINE') return;
    this.lines.set(sessionId, { name, line });
  }

  replied(connection: SMTPConnection, code: number): void {
    if (code < 400) return;
    const session = connection.session;
    const note = this.notes.get(session);
    this.notes.delete(session);
    const ours = note?.reply.responseCode === code ? note : undefined;
    // smtp-server keeps the last refusal's whole reply line here, as it went out.
    const reply = String((session as { error?: unknown }).error ?? code);
    const last = this.lines.get(connection.id);
    const command = last ? loggedLine(last.name, last.line) : '';
    const connectionId = typeof session.user === 'string' ? session.user : undefined;
    const category =
      ours?.reply.category ??
      categoryOf({
        command: last?.name ?? '',
        code,
        enhanced: enhancedCodeOf(reply),
        secure: Boolean(session.secure),
      });
    this.log.record({
      clientAddress: connection.remoteAddress,
      ...(connectionId ? { connectionId } : {}),
      ...(ours?.username ? { username: printable(ours.username, MAX_USERNAME) } : {}),
      command,
      reply,
      category,
      rejectedMail: Boolean(ours?.mail && connectionId && category !== 'internal'),
    });
  }

  /** Records the error if it is a failed STARTTLS handshake (smtp-server's error event names the client). */
  tlsFailed(err: Error & { remoteAddress?: string; meta?: object }): void {
    if (!err.meta || !('tlsProtocol' in err.meta)) return;
    this.log.record({
      clientAddress: err.remoteAddress ?? '',
      command: 'STARTTLS',
      reply: `TLS handshake failed: ${err.message}`,
      category: 'tls',
      rejectedMail: false,
    });
  }

  /** Wraps the callbacks of `options` (in place) so their refusals reach `replied` with what they know. */
  wrap(options: SMTPServerOptions): SMTPServerOptions {
    const note = (session: SMTPServerSession, err: unknown, mail: boolean, username?: string) => {
      if (err instanceof SmtpReply)
        this.notes.set(session, { reply: err, mail, ...(username ? { username } : {}) });
    };
    const { onConnect, onAuth, onMailFrom, onRcptTo, onData, onClose } = options;
    if (onConnect)
      options.onConnect = (session, callback) =>
        onConnect(session, (err) => {
          note(session, err, false);
          callback(err);
        });
    if (onAuth)
      options.onAuth = (auth, session, callback) =>
        onAuth(auth, session, (err, response) => {
          note(session, err, false, auth.username);
          callback(err, response);
        });
    if (onMailFrom)
      options.onMailFrom = (address, session, callback) =>
        onMailFrom(address, session, (err) => {
          note(session, err, true);
          callback(err);
        });
    if (onRcptTo)
      options.onRcptTo = (address, session, callback) =>
        onRcptTo(address, session, (err) => {
          note(session, err, true);
          callback(err);
        });
    if (onData)
      options.onData = (stream, session, callback) =>
        onData(stream, session, (err, message) => {
          note(session, err, true);
          callback(err, message);
        });
    options.onClose = (session, callback) => {
      this.lines.delete(session.id);
      onClose?.(session, callback);
    };
    return options;
  }
}
