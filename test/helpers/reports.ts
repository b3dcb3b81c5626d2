import { SmtpSession } from './smtp-session';

/** Bounce reports as mail servers write them, for the tests. */

export function dsn(o: {
  to: string;
  recipient: string;
  status: string;
  diagnostic: string;
  action?: string;
  messageId?: string;
}): string {
  return [
    'From: MAILER-DAEMON@mx.example.org (Mail Delivery System)',
    `To: ${o.to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"',
    '',
    '--BOUNDARY',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'I am sorry to have to inform you that your message could not be delivered.',
    '',
    '--BOUNDARY',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.org',
    'Arrival-Date: Sat, 28 Nov 2026 10:00:00 +0000',
    '',
    `Final-Recipient: rfc822; ${o.recipient}`,
    `Original-Recipient: rfc822; ${o.recipient}`,
    `Action: ${o.action ?? 'failed'}`,
    `Status: ${o.status}`,
    'Remote-MTA: dns; mailbox.example.org',
    `Diagnostic-Code: smtp; ${o.diagnostic}`,
    '',
    '--BOUNDARY',
    'Content-Type: text/rfc822-headers',
    '',
    'From: shop@example.com',
    `To: ${o.recipient}`,
    'Subject: Your order',
    `Message-ID: ${o.messageId ?? '<original@example.com>'}`,
    '',
    '--BOUNDARY--',
    '',
  ].join('\r\n');
}

export function arf(o: { to: string; recipient: string; messageId?: string }): string {
  return [
    'From: complaints@feedback.example.net',
    `To: ${o.to}`,
    'Subject: Complaint about message',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="ARF"',
    '',
    '--ARF',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is an email abuse report for an email message received from IP 192.0.2.7.',
    '',
    '--ARF',
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'User-Agent: SomeGenerator/1.0',
    'Version: 1',
    `Original-Mail-From: <${o.to}>`,
    `Original-Rcpt-To: <${o.recipient}>`,
    'Source-IP: 192.0.2.7',
    '',
    '--ARF',
    'Content-Type: message/rfc822',
    '',
    'From: shop@example.com',
    `To: ${o.recipient}`,
    'Subject: Your order',
    `Message-ID: ${o.messageId ?? '<original@example.com>'}`,
    '',
    'Thank you for your order.',
    '',
    '--ARF--',
    '',
  ].join('\r\n');
}

export function autoReply(o: { to: string; from: string }): string {
  return [
    `From: ${o.from}`,
    `To: ${o.to}`,
    'Subject: Out of office: Your order',
    'Auto-Submitted: auto-replied',
    'X-Autoreply: yes',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'I am on holiday until Monday and will read your mail when I am back.',
    '',
  ].join('\r\n');
}

/** Hands a report to the bounce listener as a remote MTA would: its own connection, null sender, no login. */
export async function sendReport(
  port: number,
  returnPath: string,
  body: string,
): Promise<{ rcpt: string; data?: string }> {
  const { session } = await SmtpSession.open(port);
  try {
    await session.command('EHLO mx.example.org');
    await session.command('MAIL FROM:<>');
    const rcpt = await session.command(`RCPT TO:<${returnPath}>`);
    if (!rcpt.startsWith('250')) return { rcpt };
    await session.command('DATA');
    session.write(`${body.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..')}\r\n.\r\n`);
    return { rcpt, data: await session.reply() };
  } finally {
    session.close();
  }
}
