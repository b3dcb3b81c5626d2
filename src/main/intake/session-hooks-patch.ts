import type { SMTPServer } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection';
import type { SmtpReply } from './smtp-reply';

/**
 * What the intake sees of a session beyond smtp-server's callbacks: every complete command line
 * (EHLO, STARTTLS, NOOP, RSET, the lines of an AUTH exchange — the callbacks only see AUTH,
 * MAIL, RCPT and DATA) and every reply, both in plaintext, so also inside TLS after STARTTLS.
 */
export interface SessionHooks {
  /**
   * A complete command line arrived, before smtp-server acts on it. `name` is the upper-case
   * command word, or `AUTH-LINE` for a line of an AUTH exchange. A reply refuses the command;
   * it must be a 421, which closes the connection. `line` is the whole line as received.
   */
  command(connection: SMTPConnection, name: string, line: string): SmtpReply | undefined;
  /** A reply went out to the client (or would have, on a connection already closing). */
  replied(connection: SMTPConnection, code: number): void;
}

const hooksOf = new WeakMap<object, SessionHooks>();
const PATCHED = Symbol.for('relaydesk.sessionHooksPatch');

type OnCommand = (command: Buffer, callback?: () => void) => void;
type Send = (code: number, data?: unknown, context?: unknown) => void;

/** Sends the sessions of `server` (and only those) through `hooks`. */
export function attachSessionHooks(server: SMTPServer, hooks: SessionHooks): void {
  installSessionHooksPatch();
  hooksOf.set(server, hooks);
}

/**
 * smtp-server 3.21.6 has no command or reply events. This wraps the two methods every command
 * and every reply pass through, for servers that attached hooks; it patches a pinned library,
 * and `test/integration/intake-hostile.test.ts` (command budget, slow clients) catches a break.
 */
function installSessionHooksPatch(): void {
  const proto = SMTPConnection.prototype as unknown as {
    _onCommand: OnCommand;
    send: Send;
    [PATCHED]?: true;
  };
  if (proto[PATCHED]) return;
  const onCommand = proto._onCommand;
  const send = proto.send;
  proto._onCommand = function (this: SMTPConnection, command: Buffer, callback?: () => void) {
    const hooks = hooksOf.get(this._server);
    // Lines buffered during the TLS handshake are dropped by smtp-server unanswered; lines before
    // the greeting or after the close get its own 421. Neither is a command of the session.
    if (hooks && this._ready && !this._upgrading && !this._closing) {
      const line = (command || '').toString();
      const name = this._nextHandler
        ? 'AUTH-LINE'
        : (line.trimStart().split(/\s/, 1)[0]?.toUpperCase() ?? '');
      const refusal = hooks.command(this, name, line);
      // Like smtp-server's own 421s: the parser is not resumed, the connection is closing.
      if (refusal) return this.send(refusal.responseCode, refusal.message);
    }
    return onCommand.call(this, command, callback);
  };
  proto.send = function (this: SMTPConnection, code: number, data?: unknown, context?: unknown) {
    send.call(this, code, data, context);
    hooksOf.get(this._server)?.replied(this, code);
  };
  proto[PATCHED] = true;
}
