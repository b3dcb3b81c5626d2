import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/engine';
import { type HeadlessRelay, startHeadless } from '../helpers/headless';
import { mailer } from '../helpers/mailer';
import { deepMail } from '../helpers/mime-fixtures';
import { createSender } from '../helpers/sender';
import { type Sink, startSink } from '../helpers/sink';

const dataDir = tempDir();
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const INVOICE = Buffer.from('%PDF-1.4\n% an invoice\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
let relay: HeadlessRelay;
let mx: Sink;
let browser: Browser;
let page: Page;
/** Stands in for the internet: counts every request a preview makes to it. */
let tracker: Server;
const trackerHits: string[] = [];

beforeAll(async () => {
  tracker = createServer((req, res) => {
    trackerHits.push(req.url ?? '');
    res.setHeader('Content-Type', 'image/png');
    res.end(PIXEL);
  });
  await new Promise<void>((r) => tracker.listen(0, '127.0.0.1', r));
  const trackerUrl = `http://127.0.0.1:${(tracker.address() as AddressInfo).port}`;

  mx = await startSink();
  relay = await startHeadless(dataDir);
  await relay.call('settings.update', {
    values: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
  });
  const { access } = await createSender(relay.call, { name: 'Shop' });
  await mailer(relay.smtpPort, access).sendMail({
    from: 'orders@example.com',
    to: 'customer@example.org',
    subject: 'Inspector order 4711',
    text: 'Thank you for order 4711 (text part).',
    html: `<h1 id="greeting">Thank you for order 4711</h1>
      <img id="logo" src="cid:logo@shop" alt="logo">
      <img id="tracker" src="${trackerUrl}/pixel.png?open=1" alt="">
      <div style="background-image:url('${trackerUrl}/bg.png')">styled</div>
      <img src="x" onerror="document.body.setAttribute('data-pwned', 'onerror')">
      <script>document.body.setAttribute('data-pwned', 'script'); fetch('${trackerUrl}/script');</script>`,
    attachments: [
      { filename: 'logo.png', content: PIXEL, cid: 'logo@shop', contentType: 'image/png' },
      { filename: 'invoice-4711.pdf', content: INVOICE, contentType: 'application/pdf' },
    ],
  });
  await mx.waitFor(1);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  await page.goto(relay.consoleUrl);
});

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  await mx?.close();
  await new Promise((r) => tracker?.close(r));
  rmSync(dataDir, { recursive: true, force: true });
});

const previewFrame = async (): Promise<Frame> => {
  const handle = await page.getByTestId('html-preview').elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('no preview frame');
  return frame;
};

describe('the message inspector in Chromium', () => {
  it('finds a mail by search and shows its preview with no scripts and no remote content until allowed', async () => {
    await page.getByRole('link', { name: 'Messages' }).first().click();
    await page.getByRole('textbox', { name: 'Search messages' }).fill('inspector 4711');
    const row = page.getByTestId('message-row').filter({ hasText: 'Inspector order 4711' });
    await expect.poll(() => row.count(), { timeout: 5000 }).toBe(1);
    await row.click();
    await expect.poll(() => page.getByTestId('message-subject').textContent()).toBe('Inspector order 4711');

    await page.getByTestId('remote-blocked').waitFor();
    let frame = await previewFrame();
    await expect.poll(() => frame.locator('#greeting').textContent()).toBe('Thank you for order 4711');
    // The inline (cid:) image is shown; it came with the mail.
    await expect
      .poll(() =>
        frame.locator('#logo').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(1);
    await page.waitForTimeout(500);
    expect(await frame.locator('body').getAttribute('data-pwned')).toBeNull();
    expect(trackerHits).toEqual([]);
    expect(
      await frame
        .locator('#tracker')
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBe(0);

    await page.getByRole('button', { name: 'Load remote images' }).click();
    frame = await previewFrame();
    await expect
      .poll(() => trackerHits.filter((u) => u.startsWith('/pixel.png')).length, { timeout: 5000 })
      .toBe(1);
    await expect
      .poll(() =>
        frame
          .locator('#tracker')
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(1);
    // Allowing images allows no code: the script and the handler still never ran.
    expect(await frame.locator('body').getAttribute('data-pwned')).toBeNull();
    expect(trackerHits.filter((u) => u.startsWith('/script'))).toEqual([]);
  });

  it('shows the text part, the DKIM result, headers, attempts and attachments, and downloads them byte for byte', async () => {
    await expect
      .poll(() => page.getByTestId('dkim-result').first().textContent())
      .toBe('pass · example.com · rsa-sha256');

    await page.getByRole('tab', { name: 'Text' }).click();
    expect(await page.getByTestId('message-text').textContent()).toContain(
      'Thank you for order 4711 (text part).',
    );

    await page.getByRole('tab', { name: /Headers/ }).click();
    await expect.poll(() => page.getByText('DKIM-Signature', { exact: true }).count()).toBeGreaterThan(0);

    await page.getByRole('tab', { name: /Recipients & attempts/ }).click();
    await expect
      .poll(() => page.getByTestId('attempt').first().textContent(), { timeout: 5000 })
      .toMatch(/delivered.*customer@example\.org/);

    await page.getByRole('tab', { name: /Attachments \(2\)/ }).click();
    const invoice = page.getByTestId('attachment').filter({ hasText: 'invoice-4711.pdf' });
    expect(await invoice.textContent()).toContain('application/pdf');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      invoice.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('invoice-4711.pdf');
    expect(readFileSync((await download.path()) ?? '')).toEqual(INVOICE);

    await page.getByRole('tab', { name: 'Raw source' }).click();
    const [raw] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download .eml' }).click(),
    ]);
    const eml = readFileSync((await raw.path()) ?? '');
    expect(eml).toEqual(mx.messages[0]?.raw);
  });

  it('says what it left out of a mail nested 2,000 levels deep and still shows the rest', async () => {
    const { access } = await createSender(relay.call, { name: 'Odd sender' });
    await mailer(relay.smtpPort, access).sendMail({
      envelope: { from: 'orders@example.com', to: ['customer@example.org'] },
      raw: deepMail(2_000, 'Nested deep 2000'),
    });
    await page.getByRole('link', { name: 'Messages' }).first().click();
    await page.getByRole('textbox', { name: 'Search messages' }).fill('nested deep');
    const row = page.getByTestId('message-row').filter({ hasText: 'Nested deep 2000' });
    await expect.poll(() => row.count(), { timeout: 5000 }).toBe(1);
    await row.click();
    await expect.poll(() => page.getByTestId('message-subject').textContent()).toBe('Nested deep 2000');
    await expect
      .poll(() => page.getByTestId('content-notice').textContent(), { timeout: 5000 })
      .toMatch(/more than 50 levels deep.*raw source/);
    await page.getByRole('tab', { name: 'Text' }).click();
    expect(await page.getByTestId('message-text').textContent()).toContain('Top text');
  });
});
