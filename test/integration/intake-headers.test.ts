import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, startRelay, type TestRelay } from '../helpers/engine';
import { SmtpSession } from '../helpers/smtp-session';

let relay: TestRelay;
let access: { username: string; password: string };
let connectionId: string;

beforeAll(async () => {
  relay = await startRelay({ deliver: false });
  const sender = await createConnection(relay, { name: 'Webshop' }, 'example.com');
  access = sender.access;
  connectionId = sender.connection.id;
});
afterAll(() => relay.dispose());

/** Sends a mail as exact text and returns the DATA reply. */
async function send(mail: string, from = 'shop@example.com'): Promise<string> {
  const session = await SmtpSession.loggedIn(relay.smtpPort, access);
  expect(await session.command(`MAIL FROM:<${from}>`)).toMatch(/^250/);
  expect(await session.command('RCPT TO:<customer@example.org>')).toMatch(/^250/);
  expect(await session.command('DATA')).toMatch(/^354/);
  session.write(`${mail}.\r\n`);
  const reply = await session.reply();
  session.close();
  return reply;
}

/** The stored header section of an accepted mail, as lines. */
async function storedHeader(reply: string): Promise<string[]> {
  const id = /queued as (\w+)/.exec(reply)?.[1];
  expect(id, reply).toBeDefined();
  const raw = (await relay.engine.context.spool.readAll(id ?? '')).toString('latin1');
  return (raw.split('\r\n\r\n')[0] ?? '').replace(/\r\n[ \t]+/g, ' ').split('\r\n');
}

const named = (lines: string[], name: string) =>
  lines.filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));

describe('header edits at intake', () => {
  it('add Message-ID, Date and List-Help when the mail has none, and remove Bcc', async () => {
    const lines = await storedHeader(
      await send(
        'From: shop@example.com\r\nTo: customer@example.org\r\nBcc: secret@example.org\r\nSubject: Bare\r\n\r\nHi\r\n',
      ),
    );
    expect(named(lines, 'Message-ID')).toEqual([expect.stringMatching(/^Message-ID: <\w+@example\.com>$/)]);
    expect(named(lines, 'Date')).toEqual([
      expect.stringMatching(/^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/),
    ]);
    expect(named(lines, 'List-Help')).toEqual(['List-Help: <https://example.com/why-you-get-this-mail>']);
    expect(named(lines, 'Bcc')).toEqual([]);
  });

  it("keep the shop's own Message-ID, Date and List-Help and add none of them twice", async () => {
    const lines = await storedHeader(
      await send(
        'From: shop@example.com\r\nTo: customer@example.org\r\nSubject: Complete\r\nMessage-ID: <order-1@shop.example.com>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0100\r\nList-Help: <mailto:help@example.com>\r\n\r\nHi\r\n',
      ),
    );
    expect(named(lines, 'Message-ID')).toEqual(['Message-ID: <order-1@shop.example.com>']);
    expect(named(lines, 'Date')).toEqual(['Date: Fri, 27 Nov 2026 10:00:00 +0100']);
    expect(named(lines, 'List-Help')).toEqual(['List-Help: <mailto:help@example.com>']);
  });

  it('shows the signed headers in the message detail', async () => {
    const reply = await send(
      'From: shop@example.com\r\nTo: customer@example.org\r\nSubject: Detail\r\n\r\nHi\r\n',
    );
    const id = /queued as (\w+)/.exec(reply)?.[1] ?? '';
    const message = await relay.call('messages.get', { id });
    expect(message.headers.map((h) => h.name)).toEqual(
      expect.arrayContaining(['DKIM-Signature', 'From', 'To', 'Subject', 'Message-ID', 'Date', 'List-Help']),
    );
    expect(message.messageId).toBe(`<${id}@example.com>`);
  });
});

describe('From: domain checks at intake', () => {
  it('refuse a From: domain that is not a sending domain of the connection, naming both', async () => {
    const reply = await send(
      'From: shop@elsewhere.example\r\nTo: customer@example.org\r\nSubject: x\r\n\r\nx\r\n',
    );
    expect(reply).toBe(
      '550 5.7.1 "elsewhere.example" is not a sending domain of connection "Webshop"; add it under Domains & DKIM in Relaydesk',
    );
  });

  it('refuse a sending domain another connection owns', async () => {
    await relay.call('domains.create', { domain: 'other.example', listHelp: 'https://other.example/help' });
    expect(await send('From: a@other.example\r\nSubject: x\r\n\r\nx\r\n')).toMatch(
      /^550 5\.7\.1 "other\.example" is not a sending domain of connection "Webshop"/,
    );
  });

  it('refuse a domain without an active DKIM key, saying DKIM must be set up', async () => {
    await relay.call('domains.create', {
      domain: 'nokey.example',
      listHelp: 'https://nokey.example/help',
      key: null,
      connectionIds: [connectionId],
    });
    expect(await send('From: a@nokey.example\r\nSubject: x\r\n\r\nx\r\n')).toBe(
      '550 5.7.1 DKIM must be set up for "nokey.example" in Relaydesk (Domains & DKIM) before it can send',
    );
  });

  it('refuse a domain without a List-Help value, saying List-Help must be set up', async () => {
    const d = await relay.call('domains.create', { domain: 'nohelp.example', connectionIds: [connectionId] });
    expect(d.problems.join(' ')).toMatch(/No List-Help value/);
    expect(await send('From: a@nohelp.example\r\nSubject: x\r\n\r\nx\r\n')).toBe(
      '550 5.7.1 A List-Help value must be set up for "nohelp.example" in Relaydesk (Domains & DKIM) before it can send',
    );
    await relay.call('domains.update', { id: d.id, listHelp: 'mailto:help@nohelp.example' });
    expect(await send('From: a@nohelp.example\r\nSubject: x\r\n\r\nx\r\n')).toMatch(/^250 2\.0\.0/);
  });

  it('accept an internationalised From: domain stored in A-label form', async () => {
    const d = await relay.call('domains.create', {
      domain: 'bücher.example',
      listHelp: 'https://xn--bcher-kva.example/hilfe',
      connectionIds: [connectionId],
    });
    expect(d.domain).toBe('xn--bcher-kva.example');
    expect(d.displayName).toBe('bücher.example');
    expect(await send('From: laden@xn--bcher-kva.example\r\nSubject: x\r\n\r\nx\r\n')).toMatch(
      /^250 2\.0\.0/,
    );
  });

  it('refuse a mail without exactly one From: address', async () => {
    const one = '550 5.7.1 The From: header must name exactly one sender address; correct it and send again';
    expect(await send('To: customer@example.org\r\nSubject: no from\r\n\r\nx\r\n')).toBe(one);
    expect(await send('From: a@example.com, b@example.com\r\nSubject: two\r\n\r\nx\r\n')).toBe(one);
    expect(await send('From: a@example.com\r\nFrom: b@example.com\r\nSubject: twice\r\n\r\nx\r\n')).toBe(one);
  });

  it('refuse the SMTP smuggling pattern (a lone dot next to a bare LF)', async () => {
    const reply = await send(
      'From: shop@example.com\r\nSubject: smuggle\r\n\r\nhello\n.\nMAIL FROM:<evil@example.net>\r\n',
    );
    expect(reply).toMatch(/^554 5\.6\.0 The mail has a lone "\." line next to a bare CR or LF/);
  });

  it('keep nothing of a refused mail', async () => {
    const before = (await relay.call('messages.search', {})).items.length;
    await send('From: shop@elsewhere.example\r\nSubject: refused\r\n\r\nx\r\n');
    expect((await relay.call('messages.search', {})).items.length).toBe(before);
  });
});
