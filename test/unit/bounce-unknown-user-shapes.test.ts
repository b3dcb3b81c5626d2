import { describe, expect, it } from 'vitest';
import { analyzeStrict } from '../../src/main/bounces/analyze';
import { dsn } from '../helpers/reports';

/**
 * "No such user" as different mail servers write it, each read as userunknown and hard (the
 * address is suppressed). The shapes are written the way each server writes its bounce; the
 * Postfix one is what Postfix 3.7 wrote in test/integration/bounce-postfix-dsn.test.ts.
 */

const RETURN_PATH = 'rd-0mx571sir7f5c06cf-1-h2rgawow3wibal4k@example.com';

/** The returned mail, as it would be attached to a bounce. */
function returned(recipient: string): string[] {
  return [
    `Return-Path: <${RETURN_PATH}>`,
    'From: Webshop <shop@example.com>',
    `To: ${recipient}`,
    'Subject: Your order',
    'Message-ID: <order-42@example.com>',
    'Date: Tue, 01 Dec 2026 21:13:18 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Thank you for your order.',
  ];
}

/**
 * A DSN as Postfix's bounce(8) writes it for a failure inside Postfix (local, virtual, error
 * transports): Diagnostic-Code of type X-Postfix and no Remote-MTA.
 */
function postfixDsn(o: { host: string; recipient: string; status: string; text: string }): string {
  const boundary = `156CE20CC06.1796159599/${o.host}`;
  return [
    `Received: by ${o.host} (Postfix)`,
    '\tid 1FE0320CC0A; Tue,  1 Dec 2026 21:13:19 +0000 (UTC)',
    'Date: Tue,  1 Dec 2026 21:13:19 +0000 (UTC)',
    `From: Mail Delivery System <MAILER-DAEMON@${o.host}>`,
    'Subject: Undelivered Mail Returned to Sender',
    `To: ${RETURN_PATH}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status;',
    `\tboundary="${boundary}"`,
    'Content-Transfer-Encoding: 8bit',
    `Message-Id: <20261201211319.1FE0320CC0A@${o.host}>`,
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${boundary}`,
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    `This is the mail system at host ${o.host}.`,
    '',
    "I'm sorry to have to inform you that your message could not",
    "be delivered to one or more recipients. It's attached below.",
    '',
    'For further assistance, please send mail to postmaster.',
    '',
    'If you do so, please include this problem report. You can',
    'delete your own text from the attached returned message.',
    '',
    '                   The mail system',
    '',
    `<${o.recipient}>: ${o.text}`,
    '',
    `--${boundary}`,
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns; ${o.host}`,
    'X-Postfix-Queue-ID: 156CE20CC06',
    `X-Postfix-Sender: rfc822; ${RETURN_PATH}`,
    'Arrival-Date: Tue,  1 Dec 2026 21:13:19 +0000 (UTC)',
    '',
    `Final-Recipient: rfc822; ${o.recipient}`,
    `Original-Recipient: rfc822;${o.recipient}`,
    'Action: failed',
    `Status: ${o.status}`,
    `Diagnostic-Code: X-Postfix; ${o.text}`,
    '',
    `--${boundary}`,
    'Content-Description: Undelivered Message',
    'Content-Type: message/rfc822',
    'Content-Transfer-Encoding: 8bit',
    '',
    ...returned(o.recipient),
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** The one recipient's verdict, with the fields this file is about. */
function verdict(raw: string) {
  const a = analyzeStrict(raw);
  expect(a.kind).toBe('bounce');
  expect(a.recipients).toHaveLength(1);
  const [r] = a.recipients;
  return { recipient: r?.recipient, reason: r?.reason, hard: r?.hard };
}

describe('unknown-user bounces of different mail servers', () => {
  it("reads Postfix's local unknown-user DSN as userunknown, hard", () => {
    const raw = postfixDsn({
      host: 'mx.mailbox.example.net',
      recipient: 'alice@mailbox.example.net',
      status: '5.1.1',
      text: 'unknown user: "alice"',
    });
    expect(verdict(raw)).toEqual({
      recipient: 'alice@mailbox.example.net',
      reason: 'userunknown',
      hard: true,
    });
  });

  it("reads Postfix's virtual unknown-user DSN as userunknown, hard", () => {
    const raw = postfixDsn({
      host: 'mx.virtual.example',
      recipient: 'bob@virtual.example',
      status: '5.1.1',
      text: 'unknown user: "bob@virtual.example"',
    });
    expect(verdict(raw)).toEqual({ recipient: 'bob@virtual.example', reason: 'userunknown', hard: true });
  });

  it("reads Postfix's error-transport 'mailbox unavailable' DSN with Postfix's default status 5.0.0 as userunknown, hard", () => {
    // transport_maps: erin@example.net error:mailbox unavailable (error(8) says 5.0.0 unless told)
    const raw = postfixDsn({
      host: 'mx.example.net',
      recipient: 'erin@example.net',
      status: '5.0.0',
      text: 'mailbox unavailable',
    });
    expect(verdict(raw)).toEqual({ recipient: 'erin@example.net', reason: 'userunknown', hard: true });
  });

  it("reads Postfix's error-transport 'mailbox unavailable' DSN with status 5.1.1 as userunknown, hard", () => {
    // transport_maps: erin@example.net error:5.1.1 mailbox unavailable
    const raw = postfixDsn({
      host: 'mx.example.net',
      recipient: 'erin@example.net',
      status: '5.1.1',
      text: 'mailbox unavailable',
    });
    expect(verdict(raw)).toEqual({ recipient: 'erin@example.net', reason: 'userunknown', hard: true });
  });

  // Exim says "Unrouteable address" when its routers found no way to the address — an unknown
  // local part or a domain it cannot route — so, like the reference, it is hostunknown: hard,
  // and suppressed all the same.
  it("reads Exim's 'Unrouteable address' bounce (no DSN) as hostunknown, hard", () => {
    const raw = [
      'Return-path: <>',
      'Received: from Debian-exim by mx.example.net with local (Exim 4.96)',
      '\tid 1t3xYz-000AbC-0D',
      `\tfor ${RETURN_PATH}; Tue, 01 Dec 2026 21:13:20 +0000`,
      'X-Failed-Recipients: carol@example.net',
      'Auto-Submitted: auto-replied',
      'From: Mail Delivery System <Mailer-Daemon@mx.example.net>',
      `To: ${RETURN_PATH}`,
      'Content-Type: text/plain; charset=us-ascii',
      'Subject: Mail delivery failed: returning message to sender',
      'Message-Id: <E1t3xYz-000AbC-0D@mx.example.net>',
      'Date: Tue, 01 Dec 2026 21:13:20 +0000',
      '',
      'This message was created automatically by mail delivery software.',
      '',
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:',
      '',
      '  carol@example.net',
      '    Unrouteable address',
      '',
      '------ This is a copy of the message, including all the headers. ------',
      '',
      ...returned('carol@example.net'),
      '',
    ].join('\r\n');
    expect(verdict(raw)).toEqual({ recipient: 'carol@example.net', reason: 'hostunknown', hard: true });
  });

  it("reads qmail's 'no mailbox here by that name' bounce as userunknown, hard", () => {
    const raw = [
      'Return-Path: <>',
      'Date: 1 Dec 2026 21:13:21 -0000',
      'From: MAILER-DAEMON@mail.example.net',
      `To: ${RETURN_PATH}`,
      'Subject: failure notice',
      '',
      'Hi. This is the qmail-send program at mail.example.net.',
      "I'm afraid I wasn't able to deliver your message to the following addresses.",
      "This is a permanent error; I've given up. Sorry it didn't work out.",
      '',
      '<frank@example.net>:',
      'Sorry, no mailbox here by that name. (#5.1.1)',
      '',
      '--- Below this line is a copy of the message.',
      '',
      ...returned('frank@example.net'),
      '',
    ].join('\r\n');
    expect(verdict(raw)).toEqual({ recipient: 'frank@example.net', reason: 'userunknown', hard: true });
  });

  it("reads Sendmail's '550 5.1.1 ... User unknown' DSN as userunknown, hard", () => {
    const raw = dsn({
      to: RETURN_PATH,
      recipient: 'dave@example.net',
      status: '5.1.1',
      diagnostic: '550 5.1.1 <dave@example.net>... User unknown',
    })
      .replace(
        'Subject: Undelivered Mail Returned to Sender',
        'Subject: Returned mail: see transcript for details',
      )
      .replace(
        'I am sorry to have to inform you that your message could not be delivered.',
        [
          'The original message was received at Tue, 1 Dec 2026 21:13:22 GMT',
          'from [192.0.2.10]',
          '',
          '   ----- The following addresses had permanent fatal errors -----',
          '<dave@example.net>',
          '    (reason: 550 5.1.1 <dave@example.net>... User unknown)',
          '',
          '   ----- Transcript of session follows -----',
          '... while talking to mailbox.example.org.:',
          '>>> DATA',
          '<<< 550 5.1.1 <dave@example.net>... User unknown',
          '550 5.1.1 <dave@example.net>... User unknown',
          '<<< 503 5.0.0 Need RCPT (recipient)',
        ].join('\r\n'),
      );
    expect(verdict(raw)).toEqual({ recipient: 'dave@example.net', reason: 'userunknown', hard: true });
  });
});
