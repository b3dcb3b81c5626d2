import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseVerp } from '../delivery/verp';
import type { EngineContext } from '../engine/context';
import { smtpReply } from '../intake/smtp-reply';
import type { TlsMaterial } from '../intake/tls-certificate';
import type { BounceRecorder } from './recorder';

/** Bounce reports carry headers, sometimes the whole original: more than this is not a report. */
const MAX_REPORT_BYTES = 12 * 1024 * 1024;

interface Verp {
  messageId: string;
  recipientId: number;
}

/**
 * The bounce listener: an SMTP server without login that accepts mail only for return paths
 * Relaydesk signed (VERP), for messages it knows, and refuses everything else with 550 — it can
 * never be used to relay. Each report is stored raw and applied by the BounceRecorder.
 */
export class BounceListener {
  private server: SMTPServer | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly recorder: BounceRecorder,
    private readonly verpSecret: Buffer,
    private tls: TlsMaterial,
  ) {}

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
    return server.server.address() as AddressInfo;
  }

  useCertificate(tls: TlsMaterial): void {
    this.tls = tls;
    this.server?.updateSecureContext({ key: tls.key, cert: tls.cert });
  }

  async close(): Promise<void> {
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
    const { log } = this.ctx;
    return new SMTPServer({
      banner: 'Relaydesk bounce listener',
      key: this.tls.key,
      cert: this.tls.cert,
      size: MAX_REPORT_BYTES,
      disabledCommands: ['AUTH'],
      authOptional: true,
      disableReverseLookup: true,
      hideDSN: true,
      hideENHANCEDSTATUSCODES: false,
      logger: false,
      onRcptTo: (address, session, callback) => {
        const verp = this.verpOf(address.address);
        if (!verp) {
          log.info('refused', { listener: 'bounces', rcpt: address.address, ip: session.remoteAddress });
          return callback(
            smtpReply(
              550,
              '5.1.1',
              'No such recipient: this server only takes bounce reports for Relaydesk return paths',
            ),
          );
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => {
          if (!stream.sizeExceeded) chunks.push(c);
        });
        stream.on('end', () => {
          if (stream.sizeExceeded) return callback(smtpReply(552, '5.3.4', 'Report too large'));
          const raw = Buffer.concat(chunks);
          const targets = session.envelope.rcptTo
            .map((r) => this.verpOf(r.address))
            .filter((v): v is Verp => v !== undefined);
          Promise.all(targets.map((v) => this.recorder.recordReport(raw, v, session.remoteAddress))).then(
            (results) =>
              callback(null, `2.0.0 Ok: report ${results.map((r) => r.reportId).join(', ')} received`),
            (err: Error) => {
              log.error('report-failed', { error: err.message });
              callback(smtpReply(451, '4.3.0', 'Could not store the report; try again later'));
            },
          );
        });
      },
    });
  }
}
