import { type SmtpReply, smtpReply } from './smtp-reply';

export interface SessionPolicy {
  /** From a reply to the complete next command line. */
  commandMs: number;
  /** DATA may take this long plus 1 s per `minDataBytesPerSecond` bytes received. */
  dataHeadStartMs: number;
  minDataBytesPerSecond: number;
  /** Command lines a session may send before it has logged in. */
  unauthenticatedCommands: number;
  /** What the 421 for one command too many tells the client to do instead. */
  commandBudgetAdvice?: string;
}

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Network deadlines run on the monotonic clock: they bound sockets, not business time. */
export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

const seconds = (n: number) => `${n} second${n === 1 ? '' : 's'}`;

/**
 * The minimum pace of one SMTP session, so a client that trickles bytes cannot hold it open:
 * - after every reply the client owes the complete next command line within `commandMs`,
 *   however slowly its bytes arrive (smtp-server's idle timeout restarts with every byte);
 * - after 354, DATA may take `dataHeadStartMs` plus one second per `minDataBytesPerSecond`
 *   bytes received, i.e. after the head start it must average at least that pace;
 * - before login, at most `unauthenticatedCommands` command lines.
 * While Relaydesk owes the reply (a password check, storing a mail) no deadline runs.
 * `onViolation` gets the 421 to send; the caller closes the connection.
 */
export class SessionWatch {
  private timer: unknown;
  private dataStartedAt = 0;
  private dataBytes = 0;
  private unauthenticated = 0;
  private stopped = false;

  constructor(
    private readonly policy: SessionPolicy,
    private readonly onViolation: (reply: SmtpReply) => void,
    private readonly timers: Timers = realTimers,
  ) {}

  /** A reply went out: 354 starts DATA, 221/421 end the session, any other asks for a command. */
  replied(code: number): void {
    if (this.stopped) return;
    this.clear();
    if (code === 221 || code === 421) {
      this.stop();
    } else if (code === 354) {
      this.dataStartedAt = this.timers.now();
      this.dataBytes = 0;
      this.armData(this.policy.dataHeadStartMs);
    } else {
      this.timer = this.timers.setTimeout(() => this.commandTooSlow(), this.policy.commandMs);
    }
  }

  /** A complete command line arrived; returns the 421 when it is one too many before login. */
  command(authenticated: boolean): SmtpReply | undefined {
    this.clear();
    if (authenticated) return undefined;
    this.unauthenticated++;
    if (this.unauthenticated <= this.policy.unauthenticatedCommands) return undefined;
    const limit = this.policy.unauthenticatedCommands;
    return smtpReply(
      421,
      '4.7.0',
      `Too many commands: at most ${limit} commands without logging in; ${this.policy.commandBudgetAdvice ?? 'use STARTTLS and AUTH with the access data of a Relaydesk connection'}`,
    );
  }

  dataReceived(bytes: number): void {
    this.dataBytes += bytes;
  }

  /** The whole mail is in; the reply is Relaydesk's to give. */
  dataEnded(): void {
    this.clear();
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private clear(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private armData(ms: number): void {
    this.timer = this.timers.setTimeout(() => this.checkData(), Math.max(1, Math.ceil(ms)));
  }

  /** Runs when the allowance at the time of arming ran out; bytes since then extend it. */
  private checkData(): void {
    this.timer = undefined;
    const { dataHeadStartMs, minDataBytesPerSecond } = this.policy;
    const elapsed = this.timers.now() - this.dataStartedAt;
    const allowed = dataHeadStartMs + (this.dataBytes / minDataBytesPerSecond) * 1000;
    if (elapsed < allowed) {
      this.armData(allowed - elapsed);
      return;
    }
    this.stop();
    this.onViolation(
      smtpReply(
        421,
        '4.4.2',
        `The mail came in too slowly (${this.dataBytes} bytes in ${seconds(Math.round(elapsed / 1000))}; after ${seconds(dataHeadStartMs / 1000)} at least ${minDataBytesPerSecond} bytes a second are needed); nothing of it was kept, send it again`,
      ),
    );
  }

  private commandTooSlow(): void {
    this.timer = undefined;
    this.stop();
    this.onViolation(
      smtpReply(
        421,
        '4.4.2',
        `No complete command within ${seconds(this.policy.commandMs / 1000)} of the last reply; closing the connection, connect again and send each command without pausing`,
      ),
    );
  }
}
