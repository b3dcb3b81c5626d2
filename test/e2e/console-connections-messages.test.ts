import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { confirmCopiedAndClose } from '../helpers/console-browser';
import { tempDir } from '../helpers/engine';
import { type HeadlessRelay, startHeadless } from '../helpers/headless';
import { swaks } from '../helpers/swaks';

const dataDir = tempDir();
let relay: HeadlessRelay;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  relay = await startHeadless(dataDir);
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(relay.consoleUrl);
});

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the console in Chromium against `npm run serve`', () => {
  let access: { host: string; port: string; username: string; password: string };

  it('creates a connection and shows its SMTP access data once', async () => {
    await page
      .getByRole('link', { name: 'Connections' })
      .or(page.getByRole('button', { name: 'Connections' }))
      .first()
      .click();
    await page.getByRole('button', { name: 'New connection' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Webshop');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Domain', { exact: true }).fill('example.com');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('List-Help for example.com').fill('https://example.com/why-this-mail');
    await page.getByRole('button', { name: 'Create connection' }).click();
    const text = (id: string) => page.getByTestId(id).textContent();
    await page.getByTestId('access-password').waitFor();
    access = {
      host: (await text('access-host')) ?? '',
      port: (await text('access-port')) ?? '',
      username: (await text('access-username')) ?? '',
      password: (await text('access-password')) ?? '',
    };
    expect(access.host).toBe('127.0.0.1');
    expect(Number(access.port)).toBe(relay.smtpPort);
    expect(access.username).toMatch(/^webshop-/);
    expect(access.password).toMatch(/^\S{24}$/);
    await confirmCopiedAndClose(page);
    await expect.poll(() => page.getByText(access.username).count()).toBeGreaterThan(0);
  });

  it('shows a mail sent with swaks in Messages without a reload, then its subject and raw source', async () => {
    await page
      .getByRole('link', { name: 'Messages' })
      .or(page.getByRole('button', { name: 'Messages' }))
      .first()
      .click();
    // A reload would lose this marker.
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    const subject = `Order 4711 confirmed ${Date.now()}`;
    const sent = await swaks(Number(access.port), [
      '--tls',
      '--auth',
      'PLAIN',
      '--auth-user',
      access.username,
      '--auth-password',
      access.password,
      '--from',
      'shop@example.com',
      '--to',
      'customer@example.org',
      '--header',
      `Subject: ${subject}`,
      '--body',
      'Thank you for your order.',
    ]);
    expect(sent.replies.some((l) => l.startsWith('250 2.0.0 Ok: queued as'))).toBe(true);
    const row = page.getByTestId('message-row').filter({ hasText: subject });
    await row.waitFor({ timeout: 1000 });
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );

    await row.click();
    await expect.poll(() => page.getByTestId('message-subject').textContent()).toBe(subject);
    await page.getByRole('tab', { name: 'Raw source' }).click();
    await expect.poll(() => page.getByTestId('message-raw').textContent()).toContain(`Subject: ${subject}`);
    expect(await page.getByTestId('message-raw').textContent()).toContain('Thank you for your order.');
  });

  it('ran without errors or CSP violations in the browser console', () => {
    expect(problems).toEqual([]);
  });
});
