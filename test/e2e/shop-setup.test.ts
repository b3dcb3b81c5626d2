import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RelayStatus } from '@shared/domain/status';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInBrowser, openConsole } from '../helpers/console-browser';
import { tempDir } from '../helpers/engine';
import type { HeadlessRelay } from '../helpers/headless';
import { createSender, type Sender } from '../helpers/sender';
import { runClient } from '../helpers/shop-snippets';
import type { Sink } from '../helpers/sink';

const work = tempDir('relaydesk-shop-setup-e2e-');
let ui: ConsoleInBrowser;
let relay: HeadlessRelay;
let sink: Sink;
let sender: Sender;
let page: Page;
let problems: string[];

beforeAll(async () => {
  ui = await openConsole({
    routeToSink: ['example.org'],
    context: { permissions: ['clipboard-read', 'clipboard-write'], acceptDownloads: true },
    before: async (r) => {
      sender = await createSender(r.call, { name: 'Webshop' });
    },
  });
  ({ relay, page, problems } = ui);
  sink = ui.mx as Sink;
});

afterAll(async () => {
  await ui?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the "Set up your shop" panel in Chromium', () => {
  it("opens from a connection's row and shows the chosen system's settings with this connection's values", async () => {
    await page
      .getByRole('link', { name: 'Connections' })
      .or(page.getByRole('button', { name: 'Connections' }))
      .first()
      .click();
    const row = page.getByTestId('connection-row').filter({ hasText: sender.connection.username });
    await row.getByRole('button', { name: 'Set up shop' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up your shop: Webshop' });
    await dialog.getByLabel('Shop system').selectOption({ label: 'Node.js: Nodemailer' });
    const code = dialog.getByTestId('setup-code');
    await expect.poll(() => code.textContent()).toContain(`port: ${relay.smtpPort},`);
    const text = (await code.textContent()) ?? '';
    expect(text).toContain(`auth: { user: '${sender.access.username}', pass: 'YOUR_SMTP_PASSWORD' }`);
    expect(text).toContain("host: '127.0.0.1',");
    await expect
      .poll(() => dialog.getByTestId('certificate-note').textContent())
      .toMatch(/relaydesk-ca\.pem/);
  });

  it('copies the snippet to the clipboard exactly as shown', async () => {
    const dialog = page.getByRole('dialog', { name: 'Set up your shop: Webshop' });
    await dialog.getByRole('button', { name: 'Copy Nodemailer settings' }).click();
    await expect
      .poll(() => dialog.getByRole('button', { name: 'Copy Nodemailer settings' }).textContent())
      .toBe('Copied');
    // Runs in the page: the browser's clipboard, as a paste would read it.
    const copied = await page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
    expect(copied).toBe(await dialog.getByTestId('setup-code').textContent());
    writeFileSync(join(work, 'send-test.js'), copied.replace('YOUR_SMTP_PASSWORD', sender.access.password));
  });

  it("downloads the relay's certificate as relaydesk-ca.pem, the one the relay presents", async () => {
    const dialog = page.getByRole('dialog', { name: 'Set up your shop: Webshop' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download certificate (.pem)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('relaydesk-ca.pem');
    const pemPath = join(work, 'relaydesk-ca.pem');
    await download.saveAs(pemPath);
    const status = await relay.call<RelayStatus>('status.get');
    expect(new X509Certificate(readFileSync(pemPath)).fingerprint256).toBe(status.smtp.tls.fingerprint256);
  });

  it('the copied snippet, with the password filled in, delivers a mail trusting the downloaded certificate', async () => {
    const run = await runClient(process.execPath, ['send-test.js'], {
      cwd: work,
      env: { NODE_PATH: resolve(__dirname, '../../node_modules') },
    });
    expect(run.output).toMatch(/250 .*queued as/);
    await sink.waitFor(1, 20_000);
    expect(sink.messages[0]?.to).toEqual(['you@example.org']);
    expect(problems).toEqual([]);
  });

  it("is reached from the wizard's last step too, for the connection just made", async () => {
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'New connection' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Booking');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Domain', { exact: true }).fill('booking.example');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('List-Help for booking.example').fill('https://booking.example/why-this-mail');
    await page.getByRole('button', { name: 'Create connection' }).click();
    const username = (await page.getByTestId('access-username').textContent()) ?? '';
    await page.getByRole('button', { name: /^Set up your shop/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up your shop: Booking' });
    await dialog.getByLabel('Shop system').selectOption({ label: 'Postfix as relayhost' });
    await expect.poll(() => dialog.getByTestId('setup-code').count()).toBe(3);
    expect(await dialog.getByTestId('setup-code').nth(1).textContent()).toBe(
      `[127.0.0.1]:${relay.smtpPort} ${username}:YOUR_SMTP_PASSWORD`,
    );
    expect(problems).toEqual([]);
  });
});
