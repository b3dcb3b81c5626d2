import { rmSync } from 'node:fs';
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
let live: { username: string; password: string };
let sandbox: { username: string; password: string };
const seen = new Map<string, number>();

beforeAll(async () => {
  // busy@ is deferred on its first try; stuck@ always.
  mx = await startSink({
    onRcpt: (address) => {
      const n = (seen.get(address) ?? 0) + 1;
      seen.set(address, n);
      if (address.startsWith('stuck@') || (address.startsWith('busy@') && n === 1)) {
        return { code: 451, message: '4.2.1 Mailbox busy, try again later' };
      }
      return 'accept';
    },
  });
  relay = await startHeadless(dataDir);
  await relay.call('settings.update', {
    values: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
  });
  ({ access: live } = await createSender(relay.call, { name: 'Shop' }));
  ({ access: sandbox } = await createSender(relay.call, { name: 'Dev shop', mode: 'sandbox' }));
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

const send = async (access: { username: string; password: string }, to: string, subject: string) => {
  const info = await mailer(relay.smtpPort, access).sendMail({
    from: 'shop@example.com',
    to,
    subject,
    text: 'x',
  });
  return /queued as (\w+)/.exec(info.response)?.[1] ?? '';
};
const nav = (name: string) => page.getByRole('link', { name }).first().click();
const status = async (id: string) =>
  (await relay.call<{ recipientStates: { status: string }[] }>('messages.get', { id })).recipientStates[0]
    ?.status;

describe('the Queue page and queue controls in Chromium', () => {
  it('shows a deferred mail with its last reply, and "Retry now" delivers it', async () => {
    await nav('Queue');
    const id = await send(live, 'busy@example.org', 'Deferred once');
    const row = page.getByTestId('queue-row').filter({ hasText: 'busy@example.org' });
    await expect
      .poll(async () => row.getByTestId('queue-last-reply').textContent(), { timeout: 5000 })
      .toBe('451 4.2.1 Mailbox busy, try again later');
    await row.getByRole('button', { name: 'Retry now' }).click();
    await expect.poll(() => status(id), { timeout: 5000 }).toBe('delivered');
    await expect.poll(() => row.count(), { timeout: 5000 }).toBe(0);

    await page.getByRole('link', { name: 'Messages' }).first().click();
    await page.getByTestId('message-row').filter({ hasText: 'Deferred once' }).click();
    await page.getByRole('tab', { name: /Recipients & attempts/ }).click();
    await expect.poll(() => page.getByTestId('attempt').count()).toBe(2);
    const attempts = await page.getByTestId('attempt').allTextContents();
    expect(attempts[0]).toMatch(/deferred.*451 4\.2\.1 Mailbox busy/);
    expect(attempts[1]).toMatch(/delivered.*250 2\.0\.0 Ok: sunk.*TLSv1\.[23]/);
  });

  it('pauses all delivery, holds new mail in the queue, and sends it on resume', async () => {
    await nav('Queue');
    await page.getByRole('button', { name: 'Pause all delivery' }).click();
    await page.getByTestId('status-paused').waitFor();
    const id = await send(live, 'held@example.org', 'Held while paused');
    await page.getByTestId('queue-row').filter({ hasText: 'held@example.org' }).waitFor({ timeout: 5000 });
    await new Promise((r) => setTimeout(r, 1200));
    expect(await status(id)).toBe('queued');
    await page.getByRole('button', { name: 'Resume all delivery' }).click();
    await expect.poll(() => status(id), { timeout: 5000 }).toBe('delivered');
    expect(await page.getByTestId('status-paused').count()).toBe(0);
  });

  it('cancels a mail that keeps being deferred', async () => {
    await nav('Queue');
    const id = await send(live, 'stuck@example.org', 'Never gets through');
    const row = page.getByTestId('queue-row').filter({ hasText: 'stuck@example.org' });
    await expect
      .poll(() => row.getByTestId('queue-last-reply').textContent(), { timeout: 5000 })
      .toMatch(/^451/);
    await row.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel delivery' }).click();
    await expect.poll(() => status(id), { timeout: 5000 }).toBe('cancelled');
  });

  it('releases a sandbox capture to real delivery from the message detail', async () => {
    const id = await send(sandbox, 'tester@example.org', 'Captured in sandbox');
    await nav('Messages');
    await page.getByTestId('message-row').filter({ hasText: 'Captured in sandbox' }).click();
    expect(await status(id)).toBe('captured');
    const before = mx.messages.length;
    await page.getByRole('button', { name: 'Release to delivery' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Release to 1 recipient' }).click();
    await expect.poll(() => status(id), { timeout: 5000 }).toBe('delivered');
    expect(mx.messages.length).toBe(before + 1);
  });
});
