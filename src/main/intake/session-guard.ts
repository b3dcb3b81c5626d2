import type { Readable } from 'node:stream';
import type { RelayProblemArea } from '@shared/domain/status';
import type { SMTPServer, SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import type { SMTPConnection } from 'smtp-server/lib/smtp-connection';
import type { Health } from '../engine/health';
import type { Logger } from '../engine/logger';
import { ConnectionCaps, type ConnectionCapsPolicy } from './connection-caps';
import { attachSessionHooks } from './session-hooks-patch';
import { type SessionPolicy, SessionWatch } from './session-watch';
import type { SmtpReply } from './smtp-reply';

export interface SessionGuardOptions {
  /** Which listener, in log lines. */
  listener: string;
  caps: () => ConnectionCapsPolicy;
  /** Read at each connect, so a changed setting applies to the next session. */
  policy: () => SessionPolicy;
  log: Logger;
  health: Health;
  area: RelayProblemArea;
  healthKey: string;
  nextStep: string;
  /** Every complete command line of an admitted session (the intake ends reservations on RSET…). */
  onCommand?: (sessionId: string, name: string, line: string) => void;
  /** Every reply to any session, also one refused at connect (the intake's activity log). */
  onReply?: (connection: SMTPConnection, code: number) => void;
}

/** What the guard keeps per open session, from its greeting until its connection closes. */
interface Tracked {
  watch: SessionWatch;
  connection?: SMTPConnection;
  /** A deadline that passed during the TLS handshake, when no reply can be written; said after it. */
  expired?: SmtpReply;
}

/**
 * The defences of an SMTP listener against clients that hold it open: caps on sessions in total
 * and per client address (421 4.7.0 before the greeting), a deadline per command line and a
 * minimum pace for DATA (421 4.4.2), and a budget of commands before login (421 4.7.0). The
 * relay's intake and the bounce listener each have one, with their own numbers. Wire it in with
 * `admit` (onConnect), `expired` (onSecure), `watchData` (onData), `close` (onClose) and
 * `attach` (after the server is made).
 */
export class SessionGuard {
  private readonly caps: ConnectionCaps;
  private readonly tracked = new Map<string, Tracked>();

  constructor(private readonly o: SessionGuardOptions) {
    this.caps = new ConnectionCaps(o.caps);
  }

  /** At connect: the refusal when a cap is reached, else the session is admitted and watched. */
  admit(session: SMTPServerSession): SmtpReply | undefined {
    const capped = this.caps.admit(session.id, session.remoteAddress);
    if (capped) {
      this.refused('connections', session.remoteAddress, capped);
      return capped;
    }
    const watch = new SessionWatch(this.o.policy(), (reply) => this.tooSlow(session.id, reply));
    this.tracked.set(session.id, { watch });
    return undefined;
  }

  /** After STARTTLS: the 421 of a deadline that passed during the handshake, if one did. */
  expired(sessionId: string): SmtpReply | undefined {
    return this.tracked.get(sessionId)?.expired;
  }

  /**
   * DATA's bytes count towards its minimum pace; its end stops the clock (the reply is ours).
   * For a stream read through `pipe`/`pipeline`: a second 'data' listener sees every chunk too.
   * A stream read with `for await` must not get one (it would lose chunks): use `dataCounter`.
   */
  watchData(sessionId: string, stream: Readable): void {
    const counter = this.dataCounter(sessionId);
    stream.on('data', (chunk: Buffer) => counter.received(chunk.length));
    stream.once('end', () => counter.ended());
  }

  /** The DATA pace counter of a session, fed by the code that reads the stream. */
  dataCounter(sessionId: string): { received(bytes: number): void; ended(): void } {
    const watch = this.tracked.get(sessionId)?.watch;
    return {
      received: (bytes) => watch?.dataReceived(bytes),
      ended: () => watch?.dataEnded(),
    };
  }

  /** The connection closed. */
  close(sessionId: string): void {
    this.guarded(() => {
      this.caps.release(sessionId);
      this.tracked.get(sessionId)?.watch.stop();
      this.tracked.delete(sessionId);
    });
  }

  /**
   * smtp-server's idle timeout (restarted by every byte) only backs up the guard's deadlines;
   * read per socket, so a changed setting applies to the next connection.
   */
  backUpIdleTimeout(options: SMTPServerOptions): void {
    Object.defineProperty(options, 'socketTimeout', {
      enumerable: true,
      get: () => {
        const { commandMs, dataHeadStartMs } = this.o.policy();
        return Math.max(commandMs, dataHeadStartMs, 60_000) + 5_000;
      },
    });
  }

  /** Sends the server's command lines and replies through the guard. */
  attach(server: SMTPServer): void {
    attachSessionHooks(server, {
      command: (connection, name, line) =>
        this.guarded(() => {
          const t = this.tracked.get(connection.id);
          if (!t) return undefined;
          t.connection = connection;
          this.o.onCommand?.(connection.id, name, line);
          const refusal = t.watch.command(Boolean(connection.session.user));
          if (refusal) this.refused('commands', connection.remoteAddress, refusal);
          return refusal;
        }),
      replied: (connection, code) =>
        this.guarded(() => {
          this.o.onReply?.(connection, code);
          const t = this.tracked.get(connection.id);
          if (!t) return;
          t.connection = connection;
          t.watch.replied(code);
        }),
    });
  }

  /** A session broke a deadline: 421 and close (after the TLS handshake, if one is running). */
  private tooSlow(sessionId: string, reply: SmtpReply): void {
    const t = this.tracked.get(sessionId);
    const connection = t?.connection;
    this.refused('too-slow', connection?.remoteAddress, reply);
    if (!t || !connection) return;
    if (connection._upgrading) t.expired = reply;
    else connection.send(reply.responseCode, reply.message);
  }

  /** One log line per refusal. */
  private refused(reason: string, ip: string | undefined, reply: SmtpReply): void {
    this.o.log.info('refused', { listener: this.o.listener, ip, reason, reply: reply.toString() });
  }

  private guarded<T>(step: () => T): T | undefined {
    try {
      return step();
    } catch (err) {
      this.o.health.report(this.o.area, err, this.o.nextStep, this.o.healthKey);
      return undefined;
    }
  }
}
