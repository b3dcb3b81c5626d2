import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import type { BounceAnalysis } from '@shared/domain/bounce';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { parseVerp } from '../delivery/verp';
import type { EngineContext } from '../engine/context';
import { installDataScanPatch } from '../intake/data-scan-patch';
import { installEnhancedStatusPatch } from '../intake/enhanced-status-patch';
import { SessionGuard } from '../intake/session-guard';
import { type SmtpReply, smtpReply } from '../intake/smtp-reply';
import type { TlsMaterial } from '../intake/tls-certificate';
import type { IncomingReport } from '../spool/spool';
import { analyzeBounce } from './analyze';
import { MAX_INPUT_BYTES } from './mime';
import type { BounceRecorder } from './recorder';
import { ReportRateLimit } from './report-rate-limit';

interface Verp {
  messageId: string;
  recipientId: number;
}

const REFUSAL_LOG_EVERY_MS = 60_000;
/** Commands one session may send: a report takes MAIL, RCPT, DATA (and RSET), so about a dozen. */
const COMMANDS_PER_SESSION = 50;

/** Health key of the listener's own failures (store, disk, a bug in a handler). */
const HEALTH_KEY = 'bounce-listener';
const NEXT_STEP =
  'Bounce reports are being refused with 451, so mail servers will send them again later. Check free disk space and that the data folder is writable; the log has the error.';

/**
 * The bounce listener: an SMTP server without login that accepts mail only for return paths
 * Relaydesk signed (VERP), for messages it knows, and refuses everything else — it can never be
 * used to relay. Anyone who received one mail knows a valid return path, so it also defends
 * itself: at most `bounces.maxConnections` sessions and `bounces.maxConnectionsPerAddress` from
 * one address (421), the relay's command and DATA deadlines (421), a command budget per session,
 * `bounces.reportsPerHourPerAddress`
 * reports per client address (450), one report per transaction (452), reports streamed to a
 * temporary file and cut off at `bounces.maxReportBytes` (552), and only mail the analyser
 * reads as a report (DSN, ARF complaint, auto-reply, a known bounce format) is kept (else 550).
 */
export class BounceListener {
  private server: SMTPServer | undefined;
  private readonly guard: SessionGuard;
  private readonly rate: ReportRateLimit;
  /** Reports are read and analysed one at a time: at most one report's bytes are in memory. */
  private analysing: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  private readonly refusals = new Map<string, { at: number; skipped: number }>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly recorder: BounceRecorder,
    private readonly verpSecret: Buffer,
    private tls: TlsMaterial,
  ) {
    installEnhancedStatusPatch();
    installDataScanPatch();
    this.rate = new ReportRateLimit(ctx.clock, () => ctx.settings.get('bounces.reportsPerHourPerAddress'));
    const { settings } = ctx;
    this.guard = new SessionGuard({
      listener: 'bounces',
      caps: () => ({
        total: settings.get('bounces.maxConnections'),
        perAddress: settings.get('bounces.maxConnectionsPerAddress'),
      }),
      // The pace a mail server keeps is the same whichever port it talks to.
      policy: () => ({
        commandMs: settings.get('smtp.commandTimeoutSeconds') * 1000,
        dataHeadStartMs: settings.get('smtp.dataTimeoutSeconds') * 1000,
        minDataBytesPerSecond: settings.get('smtp.minDataBytesPerSecond'),
        unauthenticatedCommands: COMMANDS_PER_SESSION,
        commandBudgetAdvice: 'connect again for further reports',
      }),
      log: ctx.log,
      health: ctx.health,
      area: 'bounces',
      healthKey: HEALTH_KEY,
      nextStep: NEXT_STEP,
    });
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    const server = this.create();
    this.server = server;
    // smtp-server re-emits its socket server's errors on itself: a listener must be there first.
    server.on('error', (err) => {
      if (server.server.listening) this.ctx.log.error('bounce-listener-error', { error: err.message });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.unsubscribe = this.ctx.settings.onChange((changed) => {
      if (changed.includes('bounces.maxReportBytes'))
        (server.options as { size?: number }).size = this.ctx.settings.get('bounces.maxReportBytes');
    });
    return server.server.address() as AddressInfo;
  }

  useCertificate(tls: TlsMaterial): void {
    this.tls = tls;
    this.server?.updateSecureContext({ key: tls.key, cert: tls.cert });
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The message and recipient a recipient address names, when it is one of ours for a known message. */
  private verpOf(address: string): Verp | undefined {
    const verp = parseVerp(this.verpSecret, address);
    if (!verp) return undefined;
    const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
    const bounceDomain = this.ctx.settings.get('bounces.domain').toLowerCase();
    const ours = domain === bounceDomain || this.ctx.store.domains.findByName(domain) !== undefined;
    if (!ours || !this.ctx.store.messages.summary(verp.messageId)) return undefined;
    return verp;
  }

  private create(): SMTPServer {
    const { settings } = this.ctx;
    const options: SMTPServerOptions = {
      banner: 'Relaydesk bounce listener',
      key: this.tls.key,
      cert: this.tls.cert,
      size: settings.get('bounces.maxReportBytes'),
      disabledCommands: ['AUTH'],
      authOptional: true,
      disableReverseLookup: true,
      hideDSN: true,
      hideENHANCEDSTATUSCODES: false,
      closeTimeout: 5_000,
      logger: false,
      onConnect: (session, callback) => this.check(callback, () => this.guard.admit(session)),
      onSecure: (_socket, session, callback) => callback(this.guard.expired(session.id) ?? null),
      onClose: (session) => this.guard.close(session.id),
      onMailFrom: (_address, session, callback) =>
        this.check(callback, () => {
          if (this.rate.take(session.remoteAddress)) return undefined;
          this.refused('rate', { ip: session.remoteAddress });
          return smtpReply(
            450,
            '4.7.1',
            `Too many reports from ${session.remoteAddress} this hour (bounces.reportsPerHourPerAddress); try again later`,
          );
        }),
      onRcptTo: (address, session, callback) =>
        this.check(callback, () => {
          if (session.envelope.rcptTo.length > 0) {
            return smtpReply(452, '4.5.3', 'One report per transaction; send the next one separately');
          }
          if (this.verpOf(address.address)) return undefined;
          this.refused('recipient', { rcpt: address.address, ip: session.remoteAddress });
          return smtpReply(
            550,
            '5.1.1',
            'No such recipient: this server only takes bounce reports for Relaydesk return paths',
          );
        }),
      onData: (stream, session, callback) => {
        this.receive(stream, session).then(
          (answer) => (typeof answer === 'string' ? callback(null, answer) : callback(answer)),
          (err: unknown) => {
            // Never reached by design; a bug here must still answer and never escape the handler.
            this.ctx.health.report('bounces', err, NEXT_STEP, HEALTH_KEY);
            stream.resume();
            callback(smtpReply(451, '4.3.0', 'Could not take the report; try again later'));
          },
        );
      },
    };
    this.guard.backUpIdleTimeout(options);
    const server = new SMTPServer(options);
    this.guard.attach(server);
    return server;
  }

  /**
   * Logs a refusal: the first of its kind, then at most once a minute with the number left out,
   * so a flood cannot fill the disk with log lines.
   */
  private refused(reason: string, fields: Record<string, string | number>): void {
    const now = this.ctx.clock.now();
    const last = this.refusals.get(reason);
    if (last && now - last.at < REFUSAL_LOG_EVERY_MS) {
      last.skipped++;
      return;
    }
    this.ctx.log.warn('refused', {
      listener: 'bounces',
      reason,
      ...fields,
      skipped: last?.skipped || undefined,
    });
    this.refusals.set(reason, { at: now, skipped: 0 });
  }

  /** Runs a synchronous check; a throw is reported and answered 451 instead of escaping the handler. */
  private check(callback: (err?: Error | null) => void, check: () => SmtpReply | undefined): void {
    let answer: SmtpReply | undefined;
    try {
      answer = check();
    } catch (err) {
      this.ctx.health.report('bounces', err, NEXT_STEP, HEALTH_KEY);
      answer = smtpReply(451, '4.3.0', 'Local problem; try again later');
    }
    callback(answer ?? null);
  }

  /**
   * Receives one report: streamed into its temporary file and cut off at the size limit, then
   * analysed, then kept and applied only if it is a report. Resolves to the 250 text or the
   * refusal. The stream is always read to its end (never destroyed), so the reply follows the
   * whole report as SMTP requires.
   */
  private async receive(stream: Readable, session: SMTPServerSession): Promise<string | SmtpReply> {
    const { spool, clock, settings, health } = this.ctx;
    const ip = session.remoteAddress;
    const maxBytes = settings.get('bounces.maxReportBytes');
    const id = `r${clock.now().toString(36)}${randomBytes(4).toString('hex')}`;
    const storeFailed = async (err: unknown, report: IncomingReport | undefined) => {
      await report?.discard().catch(() => undefined);
      health.report('bounces', err, NEXT_STEP, HEALTH_KEY);
      return smtpReply(451, '4.3.0', 'Could not store the report; try again later');
    };

    let incoming: IncomingReport | undefined;
    let failure: unknown;
    let oversize = false;
    // Identifies a report that comes back twice, byte for byte (an MTA retrying after a lost 250).
    const digest = createHash('sha256');
    try {
      incoming = await spool.receiveReport(id);
    } catch (err) {
      failure = err;
    }
    const pace = this.guard.dataCounter(session.id);
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        pace.received(chunk.length);
        if (!incoming || oversize || failure !== undefined) continue;
        if (incoming.bytes + chunk.length > maxBytes) {
          // The rest is read and dropped; what was received so far goes at once.
          oversize = true;
          await incoming.discard().catch((err: unknown) => {
            failure = err;
          });
          continue;
        }
        digest.update(chunk);
        await incoming.write(chunk).catch((err: unknown) => {
          failure = err;
        });
      }
    } catch {
      // The sender went away in the middle of the report: nothing kept, nobody to answer.
      await incoming?.discard().catch(() => undefined);
      this.refused('cut-off', { ip, bytes: incoming?.bytes ?? 0 });
      return smtpReply(451, '4.3.0', 'The report was cut off');
    }
    // The whole report is in: its reply is ours to give, no deadline runs for the client.
    pace.ended();
    if (failure !== undefined) return storeFailed(failure, incoming);
    if (oversize || !incoming) {
      this.refused('size', { ip, max: maxBytes });
      return smtpReply(
        552,
        '5.3.4',
        `This report is larger than the ${maxBytes} bytes this bounce listener takes; nothing was kept`,
      );
    }

    const report = incoming;
    let analysis: BounceAnalysis;
    try {
      analysis = await this.analyse(report);
    } catch (err) {
      return storeFailed(err, report);
    }
    if (analysis.kind === 'none') {
      await report.discard().catch(() => undefined);
      this.refused('not-a-report', { ip, bytes: report.bytes });
      return smtpReply(
        550,
        '5.7.1',
        'Not a bounce report: this address only takes bounce reports (DSN), complaints (ARF) and auto-replies; nothing was kept',
      );
    }
    const verp = this.verpOf(session.envelope.rcptTo[0]?.address ?? '');
    if (!verp) {
      // The message went (retention) between RCPT and the end of DATA.
      await report.discard().catch(() => undefined);
      return smtpReply(550, '5.1.1', 'No such recipient: the mail this return path belonged to is gone');
    }
    try {
      await report.keep();
    } catch (err) {
      return storeFailed(err, report);
    }
    let stored: { duplicateOf?: string };
    try {
      stored = this.recorder.recordReport({
        id,
        analysis,
        size: report.bytes,
        client: ip,
        sha256: digest.digest('hex'),
        verp,
      });
    } catch (err) {
      await spool.removeReport(id).catch(() => undefined);
      return storeFailed(err, undefined);
    }
    health.clear(HEALTH_KEY);
    if (stored.duplicateOf) {
      await spool.removeReport(id).catch(() => undefined);
      return `2.0.0 Ok: report ${stored.duplicateOf} was received before; nothing changed`;
    }
    return `2.0.0 Ok: report ${id} received`;
  }

  /**
   * Reads and analyses the received report, one report at a time, and no more of it than the
   * analyser reads (MAX_INPUT_BYTES): memory for analysis does not depend on the size limit.
   */
  private analyse(report: IncomingReport): Promise<BounceAnalysis> {
    const run = this.analysing.then(async () => analyzeBounce(await report.readHead(MAX_INPUT_BYTES)));
    this.analysing = run.catch(() => undefined);
    return run;
  }
}
