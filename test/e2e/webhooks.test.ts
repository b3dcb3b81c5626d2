import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInBrowser, confirmCopiedAndClose, openConsole } from '../helpers/console-browser';
import type { HeadlessRelay } from '../helpers/headless';
import { sendMail } from '../helpers/mailer';
import { createSender, type Sender } from '../helpers/sender';
import { signatureValid, startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

let ui: ConsoleInBrowser;
let relay: HeadlessRelay;
let page: Page;
let hooks: WebhookReceiver;
let sender: Sender;
let problems: string[];

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  ui = await openConsole({
    routeToSink: ['example.org'],
    viewport: { width: 1280, height: 720 },
    before: async (r) => {
      sender = await createSender(r.call, { name: 'Webshop' });
    },
  });
  ({ relay, page, problems } = ui);
});

afterAll(async () => {
  await ui?.close();
  await hooks?.close();
});

describe('a webhook endpoint in the console (Chromium against `npm run serve`)', () => {
  let secret = '';

  it('is added to a connection with its URL, and its signing secret is shown once', async () => {
    await page
      .getByRole('link', { name: 'Connections' })
      .or(page.getByRole('button', { name: 'Connections' }))
      .first()
      .click();
    await page
      .getByTestId('connection-row')
      .filter({ hasText: 'Webshop' })
      .getByRole('button', { name: 'Webhooks' })
      .click();
    await page.getByText('No endpoints yet.').waitFor();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByLabel('Endpoint URL').fill('ftp://shop.example/hooks');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByText(/must start with https:\/\//).waitFor();
    // The browser logs the refused call (400) as a console error: expected here, and only here.
    expect(problems.splice(0)).toEqual([expect.stringMatching(/status of 400/)]);
    await page.getByLabel('Endpoint URL').fill(hooks.url);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByTestId('webhook-secret').waitFor();
    secret = (await page.getByTestId('webhook-secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    // Shown once: Esc does not close it, and there is no × to click.
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    expect(await page.getByTestId('webhook-secret').isVisible()).toBe(true);
    expect(await page.getByRole('dialog').locator('.mantine-Modal-close').count()).toBe(0);
    await confirmCopiedAndClose(page);
    await page.getByTestId('webhook-endpoint').filter({ hasText: hooks.url }).waitFor();
    expect(await page.getByText(secret).count()).toBe(0);
  });

  it('sends a signed test event the receiver verifies, and its history shows the attempt', async () => {
    const card = page.getByTestId('webhook-endpoint').filter({ hasText: hooks.url });
    await card.getByRole('button', { name: 'Send test event' }).click();
    await hooks.waitFor(1);
    const [event] = hooks.received;
    expect(event?.json).toMatchObject({
      type: 'test',
      connection: { id: sender.connection.id, name: 'Webshop' },
    });
    expect(signatureValid(event?.headers['relaydesk-signature'], event?.body ?? '', secret)).toBe(true);
    await page.getByText(/took the test event \(HTTP 200\)/).waitFor();
    await card.getByRole('button', { name: 'History' }).click();
    const rows = card.getByTestId('webhook-attempt');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(/test.*HTTP 200.*test/);
    expect(await rows.first().textContent()).toContain(String(event?.json.id));
  });

  it('receives the delivered event of a real mail, and the open history shows it without a reload', async () => {
    const id = await sendMail(relay.smtpPort, sender.access, {
      from: 'shop@example.com',
      to: 'customer@example.org',
      subject: 'Order 4711',
    });
    await hooks.waitFor(2);
    const event = hooks.received[1];
    expect(event?.json).toMatchObject({
      type: 'delivered',
      recipient: 'customer@example.org',
      message: { id },
    });
    expect(signatureValid(event?.headers['relaydesk-signature'], event?.body ?? '', secret)).toBe(true);
    const card = page.getByTestId('webhook-endpoint').filter({ hasText: hooks.url });
    await expect.poll(() => card.getByTestId('webhook-attempt').count(), { timeout: 10_000 }).toBe(2);
    expect(await card.getByTestId('webhook-attempt').first().textContent()).toMatch(/delivered.*HTTP 200/);
    expect(await card.getByTestId('webhook-state').textContent()).toMatch(/last delivered event/);
  });

  it('rotates the secret (shown once) and deletes the endpoint after a confirmation, with no console errors', async () => {
    const card = page.getByTestId('webhook-endpoint').filter({ hasText: hooks.url });
    await card.getByRole('button', { name: 'Rotate secret' }).click();
    await page
      .getByRole('dialog', { name: 'Rotate the signing secret?' })
      .getByRole('button', { name: 'Rotate secret' })
      .click();
    await page.getByTestId('webhook-secret').waitFor();
    const rotated = (await page.getByTestId('webhook-secret').textContent()) ?? '';
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await confirmCopiedAndClose(page);
    await page.getByTestId('webhook-endpoint').getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: 'Delete this webhook endpoint?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.getByText('No endpoints yet.').waitFor();
    expect(problems).toEqual([]);
  });
});
