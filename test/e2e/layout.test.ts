import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInBrowser, openConsole } from '../helpers/console-browser';
import { sendMail } from '../helpers/mailer';
import { createSender } from '../helpers/sender';

let ui: ConsoleInBrowser;
let page: Page;
const shots = mkdtempSync(join(tmpdir(), 'relaydesk-layout-'));

beforeAll(async () => {
  ui = await openConsole({
    viewport: { width: 800, height: 800 },
    routeToSink: ['example.org'],
    // One recipient is gone: a bounced message and a hard-bounce suppression, with their badges.
    sink: {
      onRcpt: (a) => (a.startsWith('gone@') ? { code: 550, message: '5.1.1 User unknown' } : 'accept'),
    },
    async before(relay) {
      const shop = await createSender(relay.call, { name: 'Webshop' });
      await createSender(relay.call, { name: 'Booking system', mode: 'sandbox' });
      for (const to of ['anna@example.org', 'gone@example.org']) {
        await sendMail(relay.smtpPort, shop.access, { from: 'orders@example.com', to });
      }
    },
  });
  ({ page } = ui);
});

afterAll(async () => {
  await ui?.close();
  rmSync(shots, { recursive: true, force: true });
});

/** How the page fits the window: sideways overflow and the badges whose text is cut (run in the page). */
const FIT = `({
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  cutBadges: [...document.querySelectorAll('.mantine-Badge-root, .mantine-Badge-label')]
    .filter((b) => b.scrollWidth > b.clientWidth)
    .map((b) => b.textContent),
})`;
const fitting = (p: Page) => p.evaluate<{ overflow: number; cutBadges: string[] }>(FIT);

/** The right edge of the sidebar's link, in window pixels (≤ 0 when the drawer is shut). */
const linkRight = (name: string) =>
  page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name, exact: true })
    .evaluate((a) => a.getBoundingClientRect().right);

const burger = () => page.getByRole('button', { name: 'Open navigation' });

async function goTo(name: string) {
  if (await burger().isVisible()) await burger().click();
  await ui.nav(name);
}

/** WCAG relative luminance of a CSS `rgb(…)` colour. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

const bodyBackground = (p: Page) => p.evaluate<string>('getComputedStyle(document.body).backgroundColor');

describe('the console in an 800 px window', () => {
  it('hides the sidebar behind a burger that opens it and closes again once a page is chosen', async () => {
    await page.getByTestId('link-state').filter({ hasText: 'Live' }).waitFor();
    expect(await linkRight('Connections')).toBeLessThanOrEqual(0);
    await burger().click();
    await expect.poll(() => linkRight('Connections')).toBeGreaterThan(0);
    await ui.nav('Connections');
    await page.getByTestId('connection-row').first().waitFor();
    await expect.poll(() => linkRight('Connections')).toBeLessThanOrEqual(0);
  });

  it('never scrolls the page sideways and shows every badge whole, sandbox and bounced included', async () => {
    await goTo('Connections');
    const modes = page.getByTestId('connection-row').locator('.mantine-Badge-root');
    await expect.poll(() => modes.allTextContents()).toEqual(expect.arrayContaining(['sandbox', 'live']));
    expect(await fitting(page)).toEqual({ overflow: 0, cutBadges: [] });

    await goTo('Messages');
    const bounced = page.getByTestId('message-row').filter({ hasText: 'bounced' });
    await bounced.waitFor({ timeout: 15_000 });
    expect(await fitting(page)).toEqual({ overflow: 0, cutBadges: [] });
    // The list drops its secondary columns (connection, size) rather than cut the others.
    expect(await page.getByTestId('message-list').getByText('Connection', { exact: true }).isVisible()).toBe(
      false,
    );

    for (const name of [
      'Dashboard',
      'Queue',
      'Bounces',
      'Suppressions',
      'Domains & DKIM',
      'Quota & Billing',
    ]) {
      await goTo(name);
      await page.getByRole('heading', { level: 2, name }).waitFor();
      expect({ name, ...(await fitting(page)) }).toEqual({ name, overflow: 0, cutBadges: [] });
    }
  });
});

describe('the console in a wide window', () => {
  for (const width of [1280, 1920]) {
    it(`keeps the sidebar open at ${width} px and is photographed page by page with nothing cut`, async () => {
      await page.setViewportSize({ width, height: 900 });
      expect(await burger().isVisible()).toBe(false);
      expect(await linkRight('Messages')).toBeGreaterThan(0);
      for (const name of ['Dashboard', 'Messages', 'Connections']) {
        await ui.nav(name);
        await page.getByRole('heading', { level: 2, name }).waitFor();
        expect({ name, ...(await fitting(page)) }).toEqual({ name, overflow: 0, cutBadges: [] });
        const file = join(shots, `${name.toLowerCase()}-${width}.png`);
        await page.screenshot({ path: file });
        expect(statSync(file).size).toBeGreaterThan(10_000);
      }
    });
  }
});

describe('dark mode', () => {
  it('follows a dark system setting, charts included, and a switch to Light that survives a reload', async () => {
    const context = await ui.browser.newContext({
      colorScheme: 'dark',
      viewport: { width: 1280, height: 900 },
    });
    const dark = await context.newPage();
    try {
      await dark.goto(ui.relay.consoleUrl);
      await dark
        .getByTestId('dashboard-chart')
        .locator('.recharts-cartesian-axis-tick-value')
        .first()
        .waitFor();
      const background = await bodyBackground(dark);
      expect(luminance(background)).toBeLessThan(0.05);
      // The chart's axis labels stay readable on the dark page.
      const tick = await dark.evaluate<string>(
        "getComputedStyle(document.querySelector('.recharts-cartesian-axis-tick-value')).fill",
      );
      expect(contrast(tick, background)).toBeGreaterThan(3);

      const scheme = dark.getByRole('radiogroup', { name: 'Color scheme' });
      await scheme.getByText('Light', { exact: true }).click();
      await expect.poll(() => bodyBackground(dark).then(luminance)).toBeGreaterThan(0.9);
      await dark.reload();
      await dark.getByTestId('dashboard-chart').waitFor();
      expect(luminance(await bodyBackground(dark))).toBeGreaterThan(0.9);

      // Back to the system's setting: dark again.
      await scheme.getByText('System', { exact: true }).click();
      await expect.poll(() => bodyBackground(dark).then(luminance)).toBeLessThan(0.05);
    } finally {
      await context.close();
    }
  });

  it('is light where the system is light, until Dark is chosen', async () => {
    expect(luminance(await bodyBackground(page))).toBeGreaterThan(0.9);
    await page.getByRole('radiogroup', { name: 'Color scheme' }).getByText('Dark', { exact: true }).click();
    await expect.poll(() => bodyBackground(page).then(luminance)).toBeLessThan(0.05);
    expect(ui.problems).toEqual([]);
  });
});
