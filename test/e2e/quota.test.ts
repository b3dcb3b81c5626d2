import { readFileSync, rmSync } from 'node:fs';
import type { Statement } from '@shared/domain/quota';
import { isoDay } from '@shared/domain/time-zone';
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
    await page.getByRole('dialog').getByRole('button', { name: 'Book for €19.00' }).click();
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

  it('dates statements on screen and in their CSV by the days of the browser’s time zone', async () => {
    const [current] = await relay.call<Statement[]>('quota.statements', {});
    const start = current?.periodStart ?? 0;
    // Whatever the hour, one of these zones is on another calendar day than UTC.
    const zone =
      ['Pacific/Kiritimati', 'Pacific/Pago_Pago'].find((z) => isoDay(z, start) !== isoDay('UTC', start)) ??
      '';
    const firstDay = isoDay(zone, start);
    const zoned = await browser.newPage({
      viewport: { width: 1400, height: 900 },
      acceptDownloads: true,
      timezoneId: zone,
      locale: 'en-US',
    });
    try {
      await zoned.goto(relay.consoleUrl);
      await zoned.getByRole('link', { name: 'Quota & Billing' }).first().click();
      const period = zoned.getByTestId('statement-row').first().getByTestId('statement-period');
      await expect.poll(() => period.getAttribute('data-first-day'), { timeout: 5000 }).toBe(firstDay);
      const shown = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(
        Date.parse(`${firstDay}T00:00:00Z`),
      );
      expect(await period.textContent()).toContain(shown);

      const [download] = await Promise.all([
        zoned.waitForEvent('download'),
        zoned.getByTestId('statement-row').first().getByRole('button', { name: 'CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`relaydesk-statement-${firstDay}.csv`);
      const rows = readFileSync((await download.path()) ?? '', 'utf8')
        .trim()
        .split('\r\n')
        .slice(1);
      const lastDay = await period.getAttribute('data-last-day');
      for (const row of rows) expect(row.startsWith(`${firstDay},${lastDay},`), row).toBe(true);
    } finally {
      await zoned.close();
    }
  });
});
