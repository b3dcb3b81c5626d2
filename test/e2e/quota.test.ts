import { readFileSync, rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/engine';
import { type HeadlessRelay, startHeadless } from '../helpers/headless';
import { mailer } from '../helpers/mailer';
import { createSender } from '../helpers/sender';
import { type Sink, startSink } from '../helpers/sink';

const dataDir = tempDir();
let relay: HeadlessRelay;
let mx: Sink;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mx = await startSink();
  relay = await startHeadless(dataDir);
  await relay.call('settings.update', {
    values: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
  });
  const { access } = await createSender(relay.call, { name: 'Shop' });
  for (let i = 0; i < 3; i++) {
    await mailer(relay.smtpPort, access).sendMail({
      from: 'shop@example.com',
      to: `c${i}@example.org`,
      text: 'x',
    });
  }
  await mx.waitFor(3);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  await page.goto(relay.consoleUrl);
});

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  await mx?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Quota & Billing in Chromium', () => {
  it('books a block: the balance, the demo limit and the chart change; a statement downloads as CSV', async () => {
    await page.getByRole('link', { name: 'Quota & Billing' }).first().click();
    const balance = page.getByTestId('quota-balance');
    await expect.poll(() => balance.textContent(), { timeout: 5000 }).toBe('997');
    expect(await page.getByTestId('quota-limit').textContent()).toBe('3 / 25');
    // Three mails today: the chart draws bars.
    await expect.poll(() => page.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Book block' }).click();
    await expect.poll(() => balance.textContent(), { timeout: 5000 }).toBe('25,997');
    expect(await page.getByTestId('quota-limit').textContent()).toBe('none');
    expect(await page.getByTestId('quota-block').count()).toBe(2);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('statement-row').first().getByRole('button', { name: 'CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^relaydesk-statement-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    expect(csv).toMatch(/,block,booked [\d-]+,25000,19\.00000\r\n/);
    expect(csv).toMatch(/,used,mails sent from quota,3,\r\n/);
    expect(csv).toMatch(/,total,period still open,3,19\.00000\r\n/);
  });
});
