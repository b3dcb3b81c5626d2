import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, startRelay, type TestRelay } from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { deepMail, wideMail } from '../helpers/mime-fixtures';

let relay: TestRelay;
let send: (subject: string, raw: Buffer) => Promise<string>;

beforeAll(async () => {
  relay = await startRelay({ deliver: false });
  const { access } = await createConnection(relay, { name: 'Odd mail' });
  const transport = mailer(relay.smtpPort, access);
  send = async (subject, raw) => {
    const info = await transport.sendMail({
      envelope: { from: 'shop@example.com', to: ['customer@example.org'] },
      raw,
    });
    expect(info.response).toMatch(/^250/);
    const found = await relay.call('messages.search', { subject, limit: 1 });
    const id = found.items[0]?.id;
    if (!id) throw new Error(`mail "${subject}" not found`);
    return id;
  };
});
afterAll(async () => {
  await relay?.dispose();
});

describe('the message inspector on mail built to break parsers', () => {
  it('shows a mail nested 2,000 multipart levels deep up to 50 levels and says it stopped there', async () => {
    const raw = deepMail(2_000, 'Nested two thousand deep');
    const id = await send('Nested two thousand deep', raw);

    const content = await relay.call('messages.content', { id });
    expect(content.available).toBe(true);
    expect(content.text).toContain('Top text');
    expect(content.text).not.toContain('Bottom text');
    expect(content.attachments.map((a) => a.filename)).toEqual(['invoice.pdf']);
    expect(content.notice).toMatch(/more than 50 levels deep/);
    expect(content.notice).toMatch(/raw source/);
    const attachment = await relay.call('messages.attachment', { id, index: 0 });
    expect(Buffer.from(attachment.base64, 'base64').toString()).toContain('%PDF-1.4');

    const detail = await relay.call('messages.get', { id });
    expect(detail.subject).toBe('Nested two thousand deep');
    const source = await relay.call('messages.raw', { id });
    expect(source.truncated).toBe(false);
    expect(source.raw).toContain('Bottom text');
    expect(source.size).toBeGreaterThan(raw.length);
  });

  it('shows the first 500 parts of a mail with 1,200 attachments and says so', async () => {
    const id = await send('Twelve hundred parts', wideMail(1_200, 'Twelve hundred parts'));
    const content = await relay.call('messages.content', { id });
    expect(content.attachments).toHaveLength(499);
    expect(content.notice).toMatch(/after the first 500/);
  });

  it('shows an ordinary mail without a notice', async () => {
    const id = await send('Ordinary depth', deepMail(3, 'Ordinary depth'));
    const content = await relay.call('messages.content', { id });
    expect(content.text).toContain('Bottom text');
    expect(content.notice).toBeNull();
  });
});
