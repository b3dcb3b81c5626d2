import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { parseReply, type SmtpAnswer } from '../delivery/reply';
import { ownAddressOf } from '../engine/public-host';
import type { Report } from './reports';
import { SIMULATOR_MTA } from './reports';

const TIMEOUT_MS = 15_000;

export type ReportDelivery = { sent: true } | { sent: false; permanent: boolean; answer: SmtpAnswer };

/**
 * Hands one report to the bounce listener over SMTP, as a remote mail server does: its own
 * connection, no login, STARTTLS when offered, the report's envelope sender (null for DSNs and
 * auto-replies), the return path as the only recipient.
 */
export function sendToListener(
  listener: { host: string; port: number },
  returnPath: string,
  report: Report,
): Promise<ReportDelivery> {
  // A listener on every address (dual stack for '::') takes loopback connections.
  const host = ownAddressOf(listener.host);
  const connection = new SMTPConnection({
    host,
    port: listener.port,
    name: SIMULATOR_MTA,
    opportunisticTLS: true,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
    logger: false,
    // The listener's certificate is the relay's own (self-signed by default).
    tls: { rejectUnauthorized: false },
  });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ReportDelivery) => {
      if (settled) return;
      settled = true;
      connection.quit();
      setTimeout(() => connection.close(), 1000).unref();
      resolve(result);
    };
    const failed = (err: unknown) => {
      const e = err as { responseCode?: number; response?: string; message?: string };
      const answer = e.response
        ? parseReply(e.response)
        : { code: null, enhanced: '', text: String(e.message) };
      finish({ sent: false, permanent: (e.responseCode ?? 0) >= 500, answer });
    };
    connection.on('error', failed);
    connection.connect(() => {
      connection.send({ from: report.mailFrom, to: [returnPath] }, report.raw, (err, info) => {
        if (err) return failed(err);
        if ((info.rejected ?? []).length > 0) {
          return finish({ sent: false, permanent: true, answer: parseReply(info.response) });
        }
        finish({ sent: true });
      });
    });
  });
}
