import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/engine';
import { type HeadlessRelay, startHeadless } from '../helpers/headless';
import { mailer } from '../helpers/mailer';
import { createSender } from '../helpers/sender';

const dataDir = tempDir();
let relay: HeadlessRelay;
let browser: Browser;
let page: Page;
let queued: string;

beforeAll(async () => {
  relay = await startHeadless(dataDir);
  // Delivery paused: the mail waits in the queue, signed with the domain's only key.
  await relay.call('queue.pause', {});
  const { access } = await createSender(relay.call, { name: 'Shop' });
  const info = await mailer(relay.smtpPort, access).sendMail({
    from: 'shop@example.com',
    to: 'a@example.org',
    subject: 'Waiting',
    text: 'x',
  });
  queued = /queued as (\w+)/.exec(info.response)?.[1] ?? '';
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(relay.consoleUrl);
});

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('deleting a DKIM key on the Domains & DKIM page in Chromium', () => {
  it('shows the refusal in the dialog while a mail waits, and deletes the key once nothing waits', async () => {
    await page.getByRole('link', { name: 'Domains & DKIM' }).first().click();
    const card = page.getByTestId('domain-card').filter({ hasText: 'example.com' });
    await expect.poll(() => card.getByTestId('dkim-key').count()).toBe(1);

    await card.getByRole('button', { name: 'Delete key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Delete key' }).click();
    const refusal = dialog.getByTestId('confirm-refusal');
    await refusal.waitFor({ timeout: 10_000 });
    expect(await refusal.textContent()).toMatch(
      /^Could not delete the key1 mail waiting for delivery is signed with the key "[^"]+"; .*cancel it under Queue, then delete the key\./,
    );
    // Nothing was deleted, and the dialog is still open to try again.
    expect(await card.getByTestId('dkim-key').count()).toBe(1);

    await relay.call('messages.cancel', { id: queued });
    await dialog.getByRole('button', { name: 'Delete key' }).click();
    await expect.poll(() => card.getByTestId('dkim-key').count()).toBe(0);
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });
});
