import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { type SimulatorBehaviour, simulatorBehaviour } from '@shared/domain/simulator';
import { SMTPServer } from 'smtp-server';
import { parseVerp } from '../delivery/verp';
import type { EngineContext } from '../engine/context';
import { type SmtpReply, smtpReply } from '../intake/smtp-reply';
import { sendToListener } from './report-sender';
import {
  autoReplyMail,
  complaintReport,
  deliveryStatusNotification,
  type ReceivedMail,
  type Report,
  SIMULATOR_MTA,
} from './reports';

/** The most of a mail's header kept for its report; the body is read and dropped. */
const MAX_HEADER_BYTES = 64 * 1024;
/** Return paths remembered for soft-then-delivered (the first attempt of each is deferred). */
const MAX_REMEMBERED = 10_000;
/** A report waits this long after the 250, then for the delivery's outcome to be written. */
const REPORT_DELAY_MS = 500;
const OUTCOME_WAIT_TRIES = 60;
/** Waits before trying a report again after the listener answered 4xx or could not be reached. */
const REPORT_RETRIES_MS = [2_000, 10_000, 30_000];

const REPORTS: Partial<Record<SimulatorBehaviour, (mail: ReceivedMail, now: number) => Report>> = {
  'bounce-report': deliveryStatusNotification,
  'auto-reply': autoReplyMail,
  complaint: complaintReport,
};

/** What the simulated server answers at RCPT for each behaviour; undefined accepts. */
function rcptAnswer(
  behaviour: SimulatorBehaviour | undefined,
  address: string,
  firstAttempt: () => boolean,
): SmtpReply | undefined {
  switch (behaviour) {
    case undefined:
      return smtpReply(
        550,
        '5.1.1',
        `<${address}>: Recipient address rejected: User unknown (the Relaydesk simulator knows delivered@, bounce@, bounce-report@, soft-then-delivered@, mailbox-full@, auto-reply@, complaint@ and blocked@)`,
      );
    case 'bounce':
      return smtpReply(
        550,
        '5.1.1',
        `<${address}>: Recipient address rejected: User unknown in local recipient table`,
      );
    case 'mailbox-full':
      return smtpReply(552, '5.2.2', `<${address}>: Mailbox full: the recipient is over quota`);
    case 'blocked':
      return smtpReply(
        550,
        '5.7.1',
        'Service unavailable; Client host blocked using the Relaydesk simulator block list',
      );
    case 'soft-then-delivered':
      return firstAttempt()
        ? smtpReply(451, '4.7.1', `<${address}>: Recipient address rejected: Greylisted, try again later`)
        : undefined;
    default:
      return undefined;
  }
}

/**
 * The simulator's mail server: a real SMTP server on 127.0.0.1 (a free port) that the delivery
 * engine reaches for every simulator address, whatever the routes and smarthost say. It answers
 * by local part, so the engine's real client, reply classification and retries run; mail it
 * accepts goes nowhere. Reports (DSN, ARF, auto-reply) are real mails sent afterwards over SMTP to
 * the relay's own bounce listener, to the return path the mail came with.
 */
export class SimulatedMx {
  private server: SMTPServer | undefined;
  private readonly seen = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly verpSecret: Buffer,
  ) {}

  async listen(): Promise<AddressInfo> {
    const tls = this.ctx.tls();
    const server = new SMTPServer({
      name: SIMULATOR_MTA,
      banner: 'Relaydesk simulator (nothing leaves this machine)',
      key: tls.key,
      cert: tls.cert,
      authOptional: true,
      disabledCommands: ['AUTH'],
      disableReverseLookup: true,
      hideENHANCEDSTATUSCODES: false,
      // Delivery has closed its sessions by the time this stops; do not wait for stragglers.
      closeTimeout: 1_000,
      logger: false,
      onRcptTo: (address, session, callback) => {
        const behaviour = simulatorBehaviour(address.address);
        const returnPath = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        callback(rcptAnswer(behaviour, address.address, () => this.firstAttempt(returnPath)) ?? null);
      },
      onData: (stream, session, callback) => {
        readHeader(stream).then(
          (header) => {
            const recipient = session.envelope.rcptTo[0]?.address ?? '';
            const returnPath = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
            const make = REPORTS[simulatorBehaviour(recipient) ?? 'delivered'];
            if (make && returnPath) {
              const mail = {
                returnPath,
                recipient,
                header,
                receivedAt: this.ctx.clock.now(),
                clientIp: session.remoteAddress,
              };
              this.later(REPORT_DELAY_MS, () => this.report(mail, make, 0, 0));
            }
            callback(null, '2.0.0 Ok: delivered to the Relaydesk simulator (nothing left this machine)');
          },
          () => callback(smtpReply(451, '4.3.0', 'The mail was cut off')),
        );
      },
    });
    server.on('error', (err) => this.ctx.log.error('simulator-error', { error: err.message }));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return server.server.address() as AddressInfo;
  }

  useCertificate(key: string | Buffer, cert: string | Buffer): void {
    this.server?.updateSecureContext({ key, cert });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** True the first time a return path (one mail to one recipient) is seen. */
  private firstAttempt(returnPath: string): boolean {
    if (this.seen.has(returnPath)) return false;
    this.seen.add(returnPath);
    if (this.seen.size > MAX_REMEMBERED) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }

  private later(ms: number, run: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** Whether the delivery engine is still writing this mail's outcome (the report must follow it). */
  private stillSending(returnPath: string): boolean {
    const verp = parseVerp(this.verpSecret, returnPath);
    if (!verp) return false;
    return this.ctx.store.queue
      .recipientsOf(verp.messageId, ['sending'])
      .some((r) => r.id === verp.recipientId);
  }

  /** Sends the report once the delivery's outcome is written; retries a listener that is busy or away. */
  private report(
    mail: ReceivedMail,
    make: (mail: ReceivedMail, now: number) => Report,
    waited: number,
    retry: number,
  ): void {
    const { log, bounceListener } = this.ctx;
    if (this.stillSending(mail.returnPath) && waited < OUTCOME_WAIT_TRIES) {
      this.later(REPORT_DELAY_MS, () => this.report(mail, make, waited + 1, retry));
      return;
    }
    if (!bounceListener) return;
    const report = make(mail, this.ctx.clock.now());
    sendToListener(bounceListener, mail.returnPath, report).then(
      (result) => {
        if (result.sent) {
          log.info('simulator-report', { rcpt: mail.recipient, to: mail.returnPath });
          return;
        }
        const wait = REPORT_RETRIES_MS[retry];
        log.warn('simulator-report-refused', {
          rcpt: mail.recipient,
          reply: [result.answer.code, result.answer.enhanced, result.answer.text].filter(Boolean).join(' '),
          retry: !result.permanent && wait !== undefined ? wait : undefined,
        });
        if (!result.permanent && wait !== undefined)
          this.later(wait, () => this.report(mail, make, waited, retry + 1));
      },
      (err: unknown) => log.error('simulator-report-failed', { error: (err as Error).message }),
    );
  }
}

/** Reads a mail to its end, keeping its header section (up to MAX_HEADER_BYTES). */
async function readHeader(stream: Readable): Promise<Buffer> {
  const kept: Buffer[] = [];
  let bytes = 0;
  let complete = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (complete || bytes >= MAX_HEADER_BYTES) continue;
    kept.push(chunk);
    bytes += chunk.length;
    const sofar = Buffer.concat(kept);
    const end = sofar.indexOf('\r\n\r\n');
    if (end >= 0) {
      kept.splice(0, kept.length, sofar.subarray(0, end + 4));
      complete = true;
    }
  }
  const header = Buffer.concat(kept);
  return header.subarray(0, MAX_HEADER_BYTES);
}
