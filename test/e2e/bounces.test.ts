import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/engine';
import { type HeadlessRelay, startHeadless } from '../helpers/headless';
import { mailer } from '../helpers/mailer';
import { dsn } from '../helpers/reports';
import { createSender } from '../helpers/sender';
import { type Sink, startSink } from '../helpers/sink';

const dataDir = tempDir();
let relay: HeadlessRelay;
let mx: Sink;
let browser: Browser;
let page: Page;
let asked = 0;
let access: { username: string; password: string };

beforeAll(async () => {
  // gone@ is unknown the first time only (its mailbox is made later).
  mx = await startSink({
    onRcpt: (a) =>
      a.startsWith('gone@') && ++asked === 1 ? { code: 550, message: '5.1.1 User unknown' } : 'accept',
  });
  relay = await startHeadless(dataDir);
  await relay.call('settings.update', {
    values: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
  });
  ({ access } = await createSender(relay.call, { name: 'Shop' }));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(relay.consoleUrl);
});

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  await mx?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const nav = (name: string) => page.getByRole('link', { name, exact: true }).first().click();
const send = async (to: string) => {
  const info = await mailer(relay.smtpPort, access).sendMail({
    from: 'shop@example.com',
    to,
    subject: 'Your order',
    text: 'x',
  });
  return /queued as (\w+)/.exec(info.response)?.[1] ?? '';
};
const status = async (id: string) =>
  (await relay.call<{ recipientStates: { status: string }[] }>('messages.get', { id })).recipientStates[0]
    ?.status;

describe('bounces and suppressions in Chromium', () => {
  it('analyzes a pasted bounce and shows its reason and explanation', async () => {
    await nav('Bounces');
    await page.getByLabel('Bounce mail').fill(
      dsn({
        to: 'rd-x@example.com',
        recipient: 'someone@example.net',
        status: '5.2.2',
        diagnostic: '552 5.2.2 <someone@example.net>: Mailbox full, quota exceeded',
      }),
    );
    await page.getByRole('button', { name: 'Analyze', exact: true }).click();
    const row = page.getByTestId('analysis-row');
    await row.waitFor();
    expect(await row.textContent()).toContain('someone@example.net');
    expect(await row.getByTestId('reason-badge').textContent()).toMatch(/^mailboxfull/);
    expect((await row.getByTestId('analysis-explanation').textContent())?.length).toBeGreaterThan(20);
    expect(await row.getByTestId('fact-status').textContent()).toBe('Status 5.2.2');
    expect(await row.getByTestId('analysis-suppression').textContent()).toBe('Would not be suppressed');
  });

  it('shows the facts of a hard bounce and that it would suppress the address, or that it already is', async () => {
    await nav('Bounces');
    const hardBounce = (recipient: string) =>
      dsn({
        to: 'rd-x@example.com',
        recipient,
        status: '5.1.1',
        diagnostic: `550 5.1.1 <${recipient}>: Recipient address rejected: User unknown`,
      });
    await page.getByLabel('Bounce mail').fill(hardBounce('nobody-here@example.net'));
    await page.getByRole('button', { name: 'Analyze', exact: true }).click();
    const row = page.getByTestId('analysis-row').filter({ hasText: 'nobody-here@example.net' });
    await row.waitFor();
    expect(await page.getByTestId('analysis-report').textContent()).toBe(
      'Report kind bounce · Reporting MTA mx.example.org · Original Message-ID <original@example.com>',
    );
    expect(await row.getByTestId('fact-status').textContent()).toBe('Status 5.1.1');
    expect(await row.getByTestId('fact-reply-code').textContent()).toBe('Reply code 550');
    expect(await row.getByTestId('fact-action').textContent()).toBe('Action failed');
    expect(await row.getByTestId('fact-remote-mta').textContent()).toBe('Remote MTA mailbox.example.org');
    expect(await row.getByTestId('fact-diagnostic').textContent()).toBe(
      'Diagnostic (SMTP)550 5.1.1 <nobody-here@example.net>: Recipient address rejected: User unknown',
    );
    expect(await row.getByTestId('analysis-suppression').textContent()).toContain(
      'Would be suppressed (hard bounce)',
    );
    expect(await row.getByTestId('analysis-already-suppressed').count()).toBe(0);

    await relay.call('suppressions.add', { address: 'listed-already@example.net' });
    await page.getByLabel('Bounce mail').fill(hardBounce('listed-already@example.net'));
    await page.getByRole('button', { name: 'Analyze', exact: true }).click();
    await page.getByTestId('analysis-row').filter({ hasText: 'listed-already@example.net' }).waitFor();
    expect(await page.getByTestId('analysis-already-suppressed').textContent()).toContain(
      'Already suppressed',
    );
  });

  it('shows a synchronous bounce, then lets the suppressed address be removed and mailed again', async () => {
    const first = await send('gone@example.org');
    await expect.poll(() => status(first), { timeout: 5000 }).toBe('bounced');
    await nav('Bounces');
    await page.getByTestId('bounce-row').filter({ hasText: 'gone@example.org' }).waitFor({ timeout: 5000 });

    await nav('Suppressions');
    const row = page.getByTestId('suppression-row').filter({ hasText: 'gone@example.org' });
    await row.waitFor();
    await expect(send('gone@example.org')).rejects.toMatchObject({ responseCode: 550 });
    await row.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => row.count()).toBe(0);
    const again = await send('gone@example.org');
    await expect.poll(() => status(again), { timeout: 5000 }).toBe('delivered');
  });
});
