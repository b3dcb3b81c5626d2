import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { confirmCopiedAndClose } from '../helpers/console-browser';
import { verifyWithDkimpy } from '../helpers/dkim';
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
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => {
    // Refused calls (a bad PEM on purpose) log their HTTP 400 as console errors.
    if (m.type() === 'error' && !/status of 400/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(relay.consoleUrl);
});

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const nav = (name: string) => page.getByRole('link', { name }).first().click();

describe('the "connect a new system" wizard in Chromium', () => {
  let access: { port: string; username: string; password: string };
  let dns: { name: string; value: string };

  it('runs from name to access data, creating the sending domain with its DKIM key on the way', async () => {
    await nav('Connections');
    await page.getByRole('button', { name: 'New connection' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Webshop');
    await page.getByRole('button', { name: 'Next' }).click();

    // A domain is required before going on.
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByText('Choose or add at least one sending domain').count()).toBe(1);
    await page.getByLabel('Domain', { exact: true }).fill('shop.example');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel('List-Help for shop.example').fill('https://shop.example/why-this-mail');
    await page.getByRole('button', { name: 'Create connection' }).click();

    await page.getByTestId('access-password').waitFor();
    const text = async (id: string) => (await page.getByTestId(id).first().textContent()) ?? '';
    access = {
      port: await text('access-port'),
      username: await text('access-username'),
      password: await text('access-password'),
    };
    expect(access.username).toMatch(/^webshop-/);
    dns = { name: await text('dns-record-name'), value: await text('dns-record-value') };
    expect(dns.name).toMatch(/^rd\d{6}\._domainkey\.shop\.example$/);
    expect(dns.value).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/);
    await confirmCopiedAndClose(page);
    await expect.poll(() => page.getByText('shop.example').count()).toBeGreaterThan(0);
  });

  it('lets the shop send with the shown credentials; the mail is stored signed and verifies against the shown record', async () => {
    await nav('Messages');
    const sent = await swaks(Number(access.port), [
      '--tls',
      '--auth',
      'PLAIN',
      '--auth-user',
      access.username,
      '--auth-password',
      access.password,
      '--from',
      'orders@shop.example',
      '--to',
      'customer@example.org',
      '--header',
      'Subject: Order 77 confirmed',
    ]);
    const queued = sent.replies.find((l) => l.startsWith('250 2.0.0 Ok: queued as'));
    expect(queued, sent.output).toBeDefined();
    await page
      .getByTestId('message-row')
      .filter({ hasText: 'Order 77 confirmed' })
      .waitFor({ timeout: 2000 });

    const id = queued?.split(' ').pop() ?? '';
    const { raw } = await relay.call<{ raw: string }>('messages.raw', { id });
    expect(raw).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=shop\.example;/);
    expect(raw).toContain('List-Help: <https://shop.example/why-this-mail>');
    const file = join(dataDir, 'signed.eml');
    writeFileSync(file, raw);
    const checks = await verifyWithDkimpy(file, { [dns.name]: dns.value }, dataDir);
    expect(checks).toEqual([{ d: 'shop.example', s: dns.name.split('.')[0], a: 'rsa-sha256', ok: true }]);
  });
});

describe('the Domains & DKIM page in Chromium', () => {
  it('generates an Ed25519 key beside the RSA one, refuses a garbage PEM, and shows DNS findings', async () => {
    await nav('Domains & DKIM');
    const card = page.getByTestId('domain-card').filter({ hasText: 'shop.example' });
    await card.getByRole('button', { name: 'Generate key' }).click();
    await page.getByText('Ed25519', { exact: true }).click();
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect.poll(() => card.getByTestId('dkim-key').count()).toBe(2);
    expect(await card.getByTestId('dkim-key').filter({ hasText: 'Ed25519' }).textContent()).toMatch(/active/);

    await card.getByRole('button', { name: 'Import key' }).click();
    await page.getByLabel('Private key (PEM)').fill('this is not a key');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByText('paste a PEM private key').count()).toBe(1);
    await page.getByRole('button', { name: 'Cancel' }).click();

    // This machine cannot reach DNS: every finding must still render, with what to do.
    await card.getByRole('button', { name: 'Check DNS' }).click();
    await expect
      .poll(() => card.getByTestId('dns-finding').count(), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(4);
    const findings = await card.getByTestId('dns-finding').allTextContents();
    expect(findings.join(' ')).toMatch(/DKIM/);
    expect(findings.join(' ')).toMatch(/SPF/);
  });

  it('ran without errors in the browser console', () => {
    expect(problems).toEqual([]);
  });
});
