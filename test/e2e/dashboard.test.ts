import { rmSync } from 'node:fs';
import type { Browser, Page, Request } from 'playwright-core';
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
let access: { username: string; password: string };
/** stats.series requests open at once, now and at most: the chart must not pile them up. */
const series = { open: 0, most: 0, total: 0 };

beforeAll(async () => {
  // gone@ has no mailbox: its server refuses it during delivery, a hard bounce.
  mx = await startSink({
    onRcpt: (a) => (a.startsWith('gone@') ? { code: 550, message: '5.1.1 User unknown' } : 'accept'),
  });
  relay = await startHeadless(dataDir);
  // The demo allows 25 mails an hour; a block lifts that.
  await relay.call('quota.bookBlock', { size: 25000 });
  await relay.call('settings.update', {
    values: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
  });
  ({ access } = await createSender(relay.call, { name: 'Shop' }));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
  const isSeries = (url: string) => url.endsWith('/api/stats.series');
  page.on('request', (r) => {
    if (!isSeries(r.url())) return;
    series.total++;
    series.most = Math.max(series.most, ++series.open);
  });
  const closed = (r: Request) => {
    if (isSeries(r.url())) series.open--;
  };
  page.on('requestfinished', closed);
  page.on('requestfailed', closed);
  await page.goto(relay.consoleUrl);
});

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  await mx?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const send = (to: string, subject = 'Your order') =>
  mailer(relay.smtpPort, access).sendMail({ from: 'shop@example.com', to, subject, text: 'x' });
const text = (testId: string) => () => page.getByTestId(testId).textContent();
const spans = () => page.getByRole('radiogroup', { name: 'Time span' });
const chartBox = () => page.getByTestId('dashboard-chart');
/** The chart as drawn: the sum of its plotted values, its span, and the area paths recharts drew. */
const chart = {
  points: () => chartBox().getAttribute('data-points'),
  range: () => chartBox().getAttribute('data-range'),
  curves: () =>
    chartBox()
      .locator('.recharts-area-curve')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('d')).join('|')),
};

describe('the Dashboard in Chromium', () => {
  it('opens first and counts mail arriving and being delivered live, without a reload', async () => {
    await expect
      .poll(() => page.getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current'), {
        timeout: 5000,
      })
      .toBe('page');
    await expect.poll(text('dashboard-arrived-today'), { timeout: 5000 }).toBe('0');
    expect(await text('dashboard-delivered-today')()).toBe('0');
    expect(await text('dashboard-delivery-rate-today')()).toBe('—');
    await expect.poll(chart.points, { timeout: 5000 }).toBe('0');
    expect(await chart.range()).toBe('lastHour');
    const emptyCurves = await chart.curves();
    // With no mail yet the page says how to connect a shop.
    expect(
      await page.getByTestId('dashboard-first-mail').getByRole('button', { name: 'Connect a shop' }).count(),
    ).toBe(1);
    // Set in the page now, gone if anything reloads it.
    await page.evaluate(() => Object.assign(globalThis, { dashboardMarker: true }));

    for (let i = 0; i < 3; i++) await send(`c${i}@example.org`);
    await send('d1@example.org, d2@example.org');
    await mx.waitFor(4);

    await expect.poll(text('dashboard-arrived-today'), { timeout: 10_000 }).toBe('5');
    await expect.poll(text('dashboard-delivered-today'), { timeout: 10_000 }).toBe('5');
    expect(await text('dashboard-arrived-30-days')()).toBe('5');
    expect(await text('dashboard-delivery-rate-today')()).toBe('100%');
    expect(await text('dashboard-bounce-rate-today')()).toBe('0%');
    // 5 arrived + 5 delivered in the last hour's minute buckets.
    await expect.poll(chart.points, { timeout: 10_000 }).toBe('10');
    expect(await chart.curves()).not.toBe(emptyCurves);
    expect(await page.getByTestId('dashboard-first-mail').count()).toBe(0);
    expect(await page.evaluate(() => 'dashboardMarker' in globalThis)).toBe(true);
    expect(series.total).toBeGreaterThan(1);
    expect(series.most).toBe(1);
  });

  it('counts a recipient refused with 550 as bounced and opens its message from the latest bounces', async () => {
    await send('gone@example.org', 'Lost order');
    await expect.poll(text('dashboard-bounced-today'), { timeout: 10_000 }).toBe('1');
    await expect.poll(text('dashboard-arrived-today'), { timeout: 10_000 }).toBe('6');
    expect(await text('dashboard-delivered-today')()).toBe('5');
    expect(await text('dashboard-bounce-rate-today')()).toBe('16.7%');
    await expect.poll(chart.points, { timeout: 10_000 }).toBe('12');

    // The other spans hold the same mail.
    await spans().getByText('Last 24 hours').click();
    await expect.poll(chart.range, { timeout: 5000 }).toBe('last24Hours');
    await expect.poll(chart.points, { timeout: 5000 }).toBe('12');
    await spans().getByText('Last 30 days').click();
    await expect.poll(chart.range, { timeout: 5000 }).toBe('last30Days');
    await expect.poll(chart.points, { timeout: 5000 }).toBe('12');

    const bounce = page.getByTestId('dashboard-bounce');
    await expect.poll(() => bounce.count(), { timeout: 5000 }).toBe(1);
    expect(await bounce.textContent()).toContain('gone@example.org');
    expect(await bounce.getByTestId('reason-badge').textContent()).toMatch(/hard/);
    expect(await page.evaluate(() => 'dashboardMarker' in globalThis)).toBe(true);

    await bounce.click();
    await expect.poll(text('message-subject'), { timeout: 5000 }).toBe('Lost order');
    expect(await page.getByRole('link', { name: 'Messages' }).getAttribute('aria-current')).toBe('page');
  });
});
