import { describe, expect, it } from 'vitest';
import { analyzeBounce, analyzeStrict } from '../../src/main/bounces/analyze';
import { classifyReply } from '../../src/main/bounces/classify';

const dsn = (recipientBlock: string, extra = '') =>
  [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
    'To: sender@shop.example',
    'Subject: Undelivered Mail Returned to Sender',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"',
    '',
    '--B1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'I am sorry to have to inform you that your message could not be delivered.',
    '',
    '--B1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    '',
    recipientBlock,
    '',
    '--B1',
    'Content-Type: message/rfc822',
    '',
    'From: sender@shop.example',
    'To: customer@example.org',
    'Subject: Your order',
    'Message-ID: <order-42@shop.example>',
    '',
    'Thank you for your order.',
    extra,
    '--B1--',
    '',
  ].join('\n');

describe('classifying a synchronous SMTP reply', () => {
  it('calls 550 5.1.1 user unknown a hard userunknown', () => {
    const c = classifyReply({ diagnostic: '550 5.1.1 <customer@example.org>: User unknown' });
    expect(c.reason).toBe('userunknown');
    expect(c.hard).toBe(true);
    expect(c.explanation).toMatch(/does not exist/);
  });

  it('calls 452 4.2.2 mailbox full a soft mailboxfull', () => {
    const c = classifyReply({ replyCode: 452, status: '4.2.2', diagnostic: '452 4.2.2 Mailbox full' });
    expect(c.reason).toBe('mailboxfull');
    expect(c.hard).toBe(false);
  });

  it('calls a spam refusal spamdetected, soft', () => {
    const c = classifyReply({ diagnostic: '554 5.7.1 Message rejected as spam by Content Filtering' });
    expect(c.reason).toBe('spamdetected');
    expect(c.hard).toBe(false);
  });

  it('calls a block-list refusal of the sending IP blocked', () => {
    const c = classifyReply({
      diagnostic: '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org',
    });
    expect(c.reason).toBe('blocked');
  });

  it('calls a relay refusal norelaying', () => {
    expect(classifyReply({ diagnostic: '554 5.7.1 <x@example.org>: Relay access denied' }).reason).toBe(
      'norelaying',
    );
  });

  it('uses the command when the caller knows the reply answered RCPT TO', () => {
    expect(classifyReply({ diagnostic: '550 No such user here', command: 'RCPT TO' }).reason).toBe(
      'userunknown',
    );
  });

  it('treats a refusal of the sender address at MAIL FROM as rejected', () => {
    const c = classifyReply({
      diagnostic: '553 5.1.8 <sender@shop.example>: Sender address rejected: Domain not found',
    });
    expect(c.reason).toBe('rejected');
  });

  it('treats a null MX as a permanent notaccept', () => {
    const c = classifyReply({ status: '5.1.10', diagnostic: '556 5.1.10 Recipient address has null MX' });
    expect(c.reason).toBe('notaccept');
    expect(c.hard).toBe(true);
  });

  it('calls "user not found" userunknown even when it answered DATA', () => {
    const c = classifyReply({ diagnostic: '550 Mailbox unavailable: user not found', command: 'DATA' });
    expect(c.reason).toBe('userunknown');
    // The same wording without the words "not found" after DATA is a filter, as before.
    expect(classifyReply({ diagnostic: '550 User unknown', command: 'DATA' }).reason).toBe('filtered');
  });

  it('says onhold, neither hard nor soft, when the words say nothing it knows', () => {
    const c = classifyReply({ diagnostic: '550 Computer says no' });
    expect(c.reason).toBe('onhold');
    expect(c.hard).toBeNull();
  });
});

describe('analysing a delivery status notification', () => {
  it('reads the recipient, status, remote server and the original Message-ID', () => {
    const a = analyzeBounce(
      dsn(
        [
          'Final-Recipient: rfc822; customer@example.org',
          'Action: failed',
          'Status: 5.1.1',
          'Remote-MTA: dns; mx.example.org',
          'Diagnostic-Code: smtp; 550 5.1.1 <customer@example.org>: Recipient address rejected: User unknown',
        ].join('\n'),
      ),
    );
    expect(a.kind).toBe('bounce');
    expect(a.reportingMta).toBe('mx.example.net');
    expect(a.originalMessageId).toBe('<order-42@shop.example>');
    expect(a.recipients).toHaveLength(1);
    expect(a.recipients[0]).toMatchObject({
      recipient: 'customer@example.org',
      reason: 'userunknown',
      status: '5.1.1',
      replyCode: '550',
      hard: true,
      action: 'failed',
      remoteMta: 'mx.example.org',
    });
  });

  it('reads several recipients and a delayed one as soft', () => {
    const a = analyzeBounce(
      dsn(
        [
          'Final-Recipient: rfc822; full@example.org',
          'Action: failed',
          'Status: 5.2.2',
          'Diagnostic-Code: smtp; 552 5.2.2 Mailbox full',
          '',
          'Final-Recipient: rfc822; slow@example.org',
          'Action: delayed',
          'Status: 4.4.1',
          'Diagnostic-Code: smtp; 421 4.4.1 Connection timed out',
        ].join('\n'),
      ),
    );
    expect(a.recipients.map((r) => [r.recipient, r.reason, r.hard])).toEqual([
      ['full@example.org', 'mailboxfull', false],
      ['slow@example.org', 'expired', false],
    ]);
  });

  it('reads Outlook.com\'s "mailbox unavailable" as userunknown, the same words from another server not', () => {
    const block = (remote: string) =>
      [
        'Final-Recipient: rfc822; customer@example.org',
        'Action: failed',
        'Status: 5.5.0',
        `Remote-MTA: dns; ${remote}`,
        'Diagnostic-Code: smtp; 550 Requested action not taken: mailbox unavailable (3150:164)',
      ].join('\n');
    expect(analyzeBounce(dsn(block('mx4.hotmail.com'))).recipients[0]?.reason).toBe('userunknown');
    // RFC 5321's stock text for 550 says nothing on its own about why.
    expect(analyzeBounce(dsn(block('mx.example.org'))).recipients[0]?.reason).not.toBe('userunknown');
  });

  it('reads prose that a server put under a delivery-status label as the notice', () => {
    const raw = dsn(
      ['Final-Recipient: rfc822; customer@example.org', 'Action: failed', 'Status: 5.3.0'].join('\n'),
    ).replace(
      '--B1\nContent-Type: message/delivery-status\n',
      [
        '--B1',
        'Content-Type: message/delivery-status',
        '',
        'This message was undeliverable due to the following reason:',
        '',
        '<customer@example.org> has restricted SMS e-mail',
        '',
        '--B1',
        'Content-Type: message/delivery-status',
        '',
      ].join('\n'),
    );
    const [r] = analyzeBounce(raw).recipients;
    expect(r).toMatchObject({ recipient: 'customer@example.org', reason: 'filtered', status: '5.3.0' });
    expect(r?.diagnostic).toMatch(/has restricted SMS e-mail/);
  });

  it('reads a prose delay warning as expired when the last attempt got a temporary reply, by its own words otherwise', () => {
    const warning = (reason: string) =>
      [
        'From: Mail Delivery System <Mailer-Daemon@mx.shop.example>',
        'To: sender@shop.example',
        'Subject: Warning: message 1abcDE-000123-Xy delayed 24 hours',
        '',
        'This message was created automatically by mail delivery software.',
        'A message that you sent has not yet been delivered to one or more of its',
        'recipients after more than 24 hours on the queue on mx.shop.example.',
        '',
        'The address to which the message has not yet been delivered is:',
        '',
        '  customer@example.org',
        `    Delay reason: ${reason}`,
        '',
        'No action is required on your part. Delivery attempts will continue for',
        'some time, and this warning may be repeated at intervals if the message',
        'remains undelivered.',
        '',
      ].join('\n');
    const remote = analyzeBounce(
      warning(
        'SMTP error from remote mail server after RCPT TO:<customer@example.org>: 452 4.2.2 Over quota',
      ),
    ).recipients[0];
    expect(remote).toMatchObject({ reason: 'expired', action: 'delayed', replyCode: '452' });
    const own = analyzeBounce(warning('mailbox is full')).recipients[0];
    expect(own).toMatchObject({ reason: 'mailboxfull', action: 'delayed' });
    // Still waiting because the destination cannot be reached: the network failure is the reason.
    const network = analyzeBounce(
      warning(
        'SMTP error from remote mail server after RCPT TO:<customer@example.org>: 451 4.4.1 No route to host',
      ),
    ).recipients[0];
    expect(network?.reason).toBe('networkerror');
  });

  it('decodes a base64 delivery-status part', () => {
    const block = Buffer.from(
      'Final-Recipient: rfc822; customer@example.org\nAction: failed\nStatus: 5.1.2\nDiagnostic-Code: smtp; 550 Host unknown\n',
    ).toString('base64');
    const raw = dsn('').replace(
      'Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n\n',
      `Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n${block}\n`,
    );
    const a = analyzeBounce(raw);
    expect(a.recipients[0]).toMatchObject({ recipient: 'customer@example.org', reason: 'hostunknown' });
  });

  it('reads a plain-text bounce written by qmail', () => {
    const a = analyzeBounce(
      [
        'From: MAILER-DAEMON@mail.shop.example',
        'To: sender@shop.example',
        'Subject: failure notice',
        '',
        'Hi. This is the qmail-send program at mail.shop.example.',
        "I'm afraid I wasn't able to deliver your message to the following addresses.",
        '',
        '<customer@example.org>:',
        '192.0.2.25 does not like recipient.',
        'Remote host said: 552 5.2.2 <customer@example.org>: Mailbox full',
        'Giving up on 192.0.2.25.',
        '',
        '--- Below this line is a copy of the message.',
        '',
        'Message-ID: <order-7@shop.example>',
        'To: customer@example.org',
      ].join('\n'),
    );
    expect(a.kind).toBe('bounce');
    expect(a.originalMessageId).toBe('<order-7@shop.example>');
    expect(a.recipients).toMatchObject([
      { recipient: 'customer@example.org', reason: 'mailboxfull', status: '5.2.2' },
    ]);
  });
});

describe('analysing a complaint', () => {
  it('reads an ARF report as a complaint with reason feedback and no hard/soft verdict', () => {
    const a = analyzeBounce(
      [
        'From: feedback@isp.example',
        'To: abuse@shop.example',
        'Subject: Abuse report',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=feedback-report; boundary="F"',
        '',
        '--F',
        'Content-Type: text/plain',
        '',
        'This is an email abuse report.',
        '--F',
        'Content-Type: message/feedback-report',
        '',
        'Feedback-Type: abuse',
        'User-Agent: SomeFBL/1.0',
        'Version: 1',
        'Original-Rcpt-To: customer@example.org',
        'Reporting-MTA: dns; fbl.isp.example',
        '--F',
        'Content-Type: message/rfc822',
        '',
        'From: news@shop.example',
        'To: customer@example.org',
        'Message-ID: <news-1@shop.example>',
        '',
        'Weekly offers',
        '--F--',
      ].join('\n'),
    );
    expect(a).toMatchObject({
      kind: 'complaint',
      feedbackType: 'abuse',
      reportingMta: 'fbl.isp.example',
      originalMessageId: '<news-1@shop.example>',
    });
    expect(a.recipients).toMatchObject([
      { recipient: 'customer@example.org', reason: 'feedback', hard: null },
    ]);
  });

  it('takes the recipient from the returned message when the report does not name one', () => {
    const a = analyzeBounce(
      [
        'Content-Type: multipart/report; report-type=feedback-report; boundary="F"',
        '',
        '--F',
        'Content-Type: message/feedback-report',
        '',
        'Feedback-Type: abuse',
        '--F',
        'Content-Type: text/rfc822-headers',
        '',
        'To: Customer <customer@example.org>',
        '--F--',
      ].join('\n'),
    );
    expect(a.recipients.map((r) => r.recipient)).toEqual(['customer@example.org']);
  });
});

describe('analysing an automatic reply', () => {
  it('reads an out-of-office answer as an auto-reply, not a bounce', () => {
    const a = analyzeBounce(
      [
        'From: Customer <customer@example.org>',
        'To: sender@shop.example',
        'Subject: Automatic reply: Your order',
        'Auto-Submitted: auto-replied',
        'In-Reply-To: <order-42@shop.example>',
        '',
        'I am out of the office until Monday.',
      ].join('\n'),
    );
    expect(a.kind).toBe('auto-reply');
    expect(a.originalMessageId).toBe('<order-42@shop.example>');
    expect(a.recipients).toMatchObject([
      { recipient: 'customer@example.org', reason: 'vacation', hard: null },
    ]);
  });

  it('reads a canned notice that says it was sent automatically as an auto-reply, suppressing no one', () => {
    const a = analyzeBounce(
      [
        'From: Help desk <helpdesk@example.org>',
        'To: sender@shop.example',
        'Subject: Re: Your order',
        'Auto-Submitted: auto-generated',
        'Precedence: bulk',
        '',
        'This mailbox is not read. Please use the form on our website.',
      ].join('\n'),
    );
    expect(a.kind).toBe('auto-reply');
    expect(a.recipients).toMatchObject([
      { recipient: 'helpdesk@example.org', reason: 'vacation', hard: null },
    ]);
  });

  it('leaves a mail system notice it cannot read unread, even when it says it was sent automatically', () => {
    const a = analyzeBounce(
      [
        'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
        'To: sender@shop.example',
        'Subject: Undelivered Mail Returned to Sender',
        'Auto-Submitted: auto-replied',
        '',
        'Something went wrong, in words no reader knows.',
      ].join('\n'),
    );
    expect(a.kind).toBe('none');
  });

  it('does not mistake a bounce marked auto-replied for a vacation message', () => {
    const a = analyzeBounce(
      dsn('Final-Recipient: rfc822; customer@example.org\nAction: failed\nStatus: 5.1.1'),
    );
    expect(a.kind).toBe('bounce');
  });
});

describe('surviving broken input', () => {
  const broken: [string, string | Buffer][] = [
    ['an empty mail', ''],
    ['8-bit junk', Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 7919) % 256))],
    [
      'a multipart without its boundary',
      'Content-Type: multipart/report; boundary="nope"\n\n--other\nhello\n',
    ],
    [
      'a multipart without a boundary parameter',
      'Content-Type: multipart/mixed\n\nFinal-Recipient: rfc822; a@example.org\n',
    ],
    [
      'an unclosed nested message',
      dsn('Final-Recipient: rfc822; a@example.org\nStatus: 5.1.1').replace('--B1--', ''),
    ],
    ['invalid base64 and quoted-printable', 'Content-Transfer-Encoding: base64\n\n%%%==\n=ZZ=\n'],
    ['a header that never ends', `Subject: ${'x'.repeat(300_000)}`],
    ['deeply nested multiparts', nested(500)],
    [
      'a huge recipient list',
      `Subject: failure notice\n\n${'<a@example.org>:\n550 5.1.1 unknown\n'.repeat(50_000)}`,
    ],
  ];

  it.each(broken)('does not throw or hang on %s', (_name, raw) => {
    const started = performance.now();
    const a = analyzeStrict(raw);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(['bounce', 'complaint', 'auto-reply', 'delivered', 'none']).toContain(a.kind);
  });

  it('finds the recipient of a DSN whose closing boundary is missing', () => {
    const raw = dsn('Final-Recipient: rfc822; customer@example.org\nAction: failed\nStatus: 5.1.1').replace(
      '--B1--',
      '',
    );
    expect(analyzeBounce(raw).recipients[0]?.reason).toBe('userunknown');
  });
});

function nested(depth: number): string {
  let body = 'x';
  for (let i = 0; i < depth; i++)
    body = `Content-Type: multipart/mixed; boundary="n${i}"\n\n--n${i}\n${body}\n--n${i}--\n`;
  return body;
}
