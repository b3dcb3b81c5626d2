import { randomBytes } from 'node:crypto';
import { SIMULATOR_DOMAIN } from '@shared/domain/simulator';
import { rfc5322Date } from '../intake/header-edits';

/** The simulated mail server's name, in reports and replies. */
export const SIMULATOR_MTA = `mx.${SIMULATOR_DOMAIN}`;

/** What a report is about: the mail as the simulated server received it. */
export interface ReceivedMail {
  /** The VERP return path the mail came with: where its report goes. */
  returnPath: string;
  recipient: string;
  /** The mail's header section (ends with its empty line), as received. */
  header: Buffer;
  receivedAt: number;
  /** The address the relay connected from. */
  clientIp: string;
}

/** A report ready to send: its envelope sender ('' = null sender) and the whole mail. */
export interface Report {
  mailFrom: string;
  raw: string;
}

const CRLF = '\r\n';

function headerField(header: Buffer, name: string): string {
  const unfolded = header.toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded);
  return m?.[1]?.trim() ?? '';
}

/** The original header, without trailing empty lines, for a text/rfc822-headers or message/rfc822 part. */
const originalHeader = (mail: ReceivedMail) =>
  mail.header
    .toString('latin1')
    .replace(/(\r?\n)+$/, '')
    .replace(/\r?\n/g, CRLF);

/** The last part of a report: the header of the mail it is about (text/rfc822-headers), and the end. */
const returnedHeader = (b: string, mail: ReceivedMail) => [
  `--${b}`,
  'Content-Type: text/rfc822-headers',
  '',
  originalHeader(mail),
  '',
  `--${b}--`,
  '',
];

const boundary = (kind: string) => `=_${kind}_${randomBytes(8).toString('hex')}`;

function envelopeHead(o: {
  from: string;
  to: string;
  subject: string;
  date: string;
  extra?: string[];
}): string[] {
  return [
    `From: ${o.from}`,
    `To: <${o.to}>`,
    `Subject: ${o.subject}`,
    `Date: ${o.date}`,
    `Message-ID: <${randomBytes(8).toString('hex')}@${SIMULATOR_MTA}>`,
    ...(o.extra ?? []),
    'MIME-Version: 1.0',
  ];
}

/**
 * An RFC 3464 delivery status notification for a recipient that does not exist: the report a
 * receiving server sends when it accepted a mail and only later found it cannot deliver it.
 */
export function deliveryStatusNotification(mail: ReceivedMail, now: number): Report {
  const b = boundary('dsn');
  const diagnostic = `550 5.1.1 <${mail.recipient}>: Recipient address rejected: User unknown in local recipient table`;
  const lines = [
    ...envelopeHead({
      from: `Mail Delivery System <MAILER-DAEMON@${SIMULATOR_MTA}>`,
      to: mail.returnPath,
      subject: 'Undelivered Mail Returned to Sender',
      date: rfc5322Date(now),
      extra: ['Auto-Submitted: auto-replied'],
    }),
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `This is the mail system at host ${SIMULATOR_MTA} (the Relaydesk simulator).`,
    '',
    'Your message could not be delivered to the recipient below: the mailbox does not exist.',
    '',
    `<${mail.recipient}>: ${diagnostic}`,
    '',
    `--${b}`,
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns; ${SIMULATOR_MTA}`,
    `Arrival-Date: ${rfc5322Date(mail.receivedAt)}`,
    '',
    `Final-Recipient: rfc822; ${mail.recipient}`,
    `Original-Recipient: rfc822; ${mail.recipient}`,
    'Action: failed',
    'Status: 5.1.1',
    `Remote-MTA: dns; mailbox.${SIMULATOR_DOMAIN}`,
    `Diagnostic-Code: smtp; ${diagnostic}`,
    `Last-Attempt-Date: ${rfc5322Date(now)}`,
    '',
    ...returnedHeader(b, mail),
  ];
  return { mailFrom: '', raw: lines.join(CRLF) };
}

/**
 * An RFC 5965 (ARF) feedback report: the recipient pressed "this is spam" at their provider,
 * which returns the mail's header to the return path.
 */
export function complaintReport(mail: ReceivedMail, now: number): Report {
  const b = boundary('arf');
  const lines = [
    ...envelopeHead({
      from: `Feedback Loop <fbl@${SIMULATOR_DOMAIN}>`,
      to: mail.returnPath,
      subject: 'Complaint about a message you sent',
      date: rfc5322Date(now),
    }),
    `Content-Type: multipart/report; report-type=feedback-report; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `This is an email abuse report for a message received from IP ${mail.clientIp} (the Relaydesk simulator).`,
    'The recipient marked it as spam.',
    '',
    `--${b}`,
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'User-Agent: Relaydesk-Simulator/1.0',
    'Version: 1',
    `Original-Mail-From: <${mail.returnPath}>`,
    `Original-Rcpt-To: <${mail.recipient}>`,
    `Arrival-Date: ${rfc5322Date(mail.receivedAt)}`,
    `Reporting-MTA: dns; ${SIMULATOR_MTA}`,
    `Source-IP: ${mail.clientIp}`,
    '',
    ...returnedHeader(b, mail),
  ];
  return { mailFrom: `fbl@${SIMULATOR_DOMAIN}`, raw: lines.join(CRLF) };
}

/** An RFC 3834 automatic response (out of office), sent with a null sender to the return path. */
export function autoReplyMail(mail: ReceivedMail, now: number): Report {
  const subject = headerField(mail.header, 'subject');
  const original = headerField(mail.header, 'message-id');
  const lines = [
    ...envelopeHead({
      from: `<${mail.recipient}>`,
      to: mail.returnPath,
      subject: `Out of office: ${subject || '(no subject)'}`.slice(0, 200),
      date: rfc5322Date(now),
      extra: [
        'Auto-Submitted: auto-replied',
        ...(original ? [`In-Reply-To: ${original}`, `References: ${original}`] : []),
      ],
    }),
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    '',
    'I am out of the office until Monday and will read your mail when I am back.',
    '',
    '(An automatic reply from the Relaydesk simulator.)',
    '',
  ];
  return { mailFrom: '', raw: lines.join(CRLF) };
}
