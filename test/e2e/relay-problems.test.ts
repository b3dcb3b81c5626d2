import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/engine';
import { type HeadlessRelay, startHeadless } from '../helpers/headless';

const dataDir = tempDir();
let relay: HeadlessRelay | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('problems the relay survived, in Chromium', () => {
  it('shows what needs attention with its next step on every page, and clears live once it is fixed', async () => {
    relay = await startHeadless(dataDir);
    await relay.call('settings.update', { values: { 'delivery.smarthostPassword': 'Sealed-Here-1' } });
    await relay.stop();
    // The data folder came from another machine: its key cannot open the sealed password.
    writeFileSync(join(dataDir, 'secret-key'), `${Buffer.alloc(32, 9).toString('base64')}\n`, {
      mode: 0o600,
    });
    relay = await startHeadless(dataDir);

    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(relay.consoleUrl);
    const banner = page.getByTestId('relay-problems');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.textContent()).toContain('Enter delivery.smarthostPassword again under Settings.');
    await page.getByRole('link', { name: 'Messages' }).first().click();
    expect(await banner.isVisible()).toBe(true);
    await banner.getByRole('button', { name: 'Open Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).first().waitFor();

    await relay.call('settings.update', { values: { 'delivery.smarthostPassword': 'Entered-Again-2' } });
    await banner.waitFor({ state: 'detached', timeout: 5_000 });
  });
});
