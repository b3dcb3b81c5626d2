import { SIMULATOR_ADDRESSES, SIMULATOR_DOMAIN } from '@shared/domain/simulator';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInBrowser, openConsole } from '../helpers/console-browser';
import type { HeadlessRelay } from '../helpers/headless';

let ui: ConsoleInBrowser;
let relay: HeadlessRelay;
let page: Page;
let problems: string[];

beforeAll(async () => {
  ui = await openConsole({
    // soft-then-delivered is retried after a second, not the default 5 minutes.
    settings: { 'delivery.retrySchedule': '1s' },
    // The refused test mail below logs its HTTP 400 as a console error.
    expectedConsoleErrors: /status of 400/,
  });
  ({ relay, page, problems } = ui);
  page.setDefaultTimeout(10_000);
});

afterAll(() => ui?.close());

const nav = (name: string) => ui.nav(name);
const label = (local: string) => SIMULATOR_ADDRESSES.find((a) => a.behaviour === local)?.label ?? local;

/** An address in a row's text, not as the tail of a longer one (delivered@ in soft-then-delivered@). */
const exactly = (address: string) => new RegExp(`(?<![\\w-])${address.replace(/[.]/g, '\\.')}`);

/** Picks a simulator address in the open test-mail form and sends; the inspector opens. */
async function sendToSimulator(local: string): Promise<void> {
  await page.getByLabel('Or a simulator address').first().click();
  await page.getByRole('option', { name: label(local) }).click();
  expect(await page.getByLabel('Recipient').inputValue()).toBe(`${local}@${SIMULATOR_DOMAIN}`);
  await page.getByRole('button', { name: 'Send test mail' }).click();
  await page.getByTestId('message-subject').filter({ hasText: 'Relaydesk test mail' }).waitFor();
}

/** Opens the inspector's delivery tab and waits until the recipient shows `status` (bounded). */
async function recipientShows(status: string): Promise<void> {
  await page.getByRole('tab', { name: /Recipients & attempts/ }).click();
  await page.getByTestId('recipient-row').filter({ hasText: status }).waitFor({ timeout: 15_000 });
}

describe('send a test mail in Chromium', () => {
  it("from the wizard's last step: the mail opens in the inspector and is delivered by the simulator", async () => {
    await nav('Connections');
    await page.getByRole('button', { name: 'New connection' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Webshop');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Domain', { exact: true }).fill('shop.example');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('List-Help for shop.example').fill('https://shop.example/why-this-mail');
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByTestId('access-password').waitFor();
    // The test mail closes the wizard, so it waits until the password is copied.
    await page.getByTestId('send-test-not-yet').waitFor();
    await page.getByRole('dialog').getByLabel('I have copied the password').check();

    await sendToSimulator('delivered');
    // The wizard closed and the Messages page shows the inspector.
    expect(await page.getByRole('dialog').count()).toBe(0);
    await recipientShows('delivered');
    await page
      .getByTestId('attempt')
      .filter({ hasText: `simulator mx.${SIMULATOR_DOMAIN}` })
      .waitFor();
    expect(await page.getByText('relaydesk-test@shop.example').count()).toBeGreaterThan(0);
  });

  it("from a connection's row: a bad address is refused in the form, a simulator address ends in its state", async () => {
    await nav('Connections');
    const row = page.getByTestId('connection-row').filter({ hasText: 'Webshop' });
    await row.getByRole('button', { name: 'Send test mail' }).click();
    await page.getByLabel('Recipient').fill('not an address');
    await page.getByRole('button', { name: 'Send test mail' }).click();
    await page.getByText('is not a valid e-mail address').waitFor();

    await sendToSimulator('bounce');
    await recipientShows('bounced');
    await page.getByText('userunknown').first().waitFor();
  });

  it('every simulator address ends in its state on the Messages and Bounces pages', async () => {
    const connections = await relay.call<{ id: string; name: string }[]>('connections.list');
    const connectionId = connections.find((c) => c.name === 'Webshop')?.id;
    const rest = [
      'bounce-report',
      'soft-then-delivered',
      'mailbox-full',
      'auto-reply',
      'complaint',
      'blocked',
    ];
    for (const local of rest) {
      await relay.call('connections.sendTest', { connectionId, to: `${local}@${SIMULATOR_DOMAIN}` });
    }
    const expected: Record<string, string> = {
      delivered: 'delivered',
      bounce: 'bounced',
      'bounce-report': 'bounced',
      'soft-then-delivered': 'delivered',
      'mailbox-full': 'bounced',
      'auto-reply': 'delivered',
      complaint: 'complained',
      blocked: 'bounced',
    };
    await nav('Messages');
    for (const [local, status] of Object.entries(expected)) {
      await page
        .getByTestId('message-row')
        .filter({ hasText: exactly(`${local}@${SIMULATOR_DOMAIN}`) })
        .filter({ hasText: status })
        .waitFor({ timeout: 20_000 });
    }

    await nav('Bounces');
    const reasons: Record<string, string> = {
      bounce: 'userunknown',
      'bounce-report': 'userunknown',
      'mailbox-full': 'mailboxfull',
      'auto-reply': 'vacation',
      complaint: 'feedback',
      blocked: 'blocked',
    };
    for (const [local, reason] of Object.entries(reasons)) {
      const recipient = page.getByRole('cell', { name: `${local}@${SIMULATOR_DOMAIN}`, exact: true });
      const row = page.getByTestId('bounce-row').filter({ has: recipient });
      await row.first().waitFor({ timeout: 15_000 });
      expect(await row.first().getByTestId('reason-badge').textContent()).toContain(reason);
    }
    expect(await page.getByTestId('bounce-row').count()).toBe(Object.keys(reasons).length);
  });

  it('hard bounces and the complaint are on the Suppressions page; soft bounces are not', async () => {
    await nav('Suppressions');
    const suppressed = ['bounce', 'bounce-report', 'complaint'].map((l) => `${l}@${SIMULATOR_DOMAIN}`);
    for (const address of suppressed) {
      await page
        .getByTestId('suppression-row')
        .filter({ has: page.getByRole('cell', { name: address, exact: true }) })
        .waitFor();
    }
    const listed = await page.getByTestId('suppression-row').allTextContents();
    expect(listed).toHaveLength(suppressed.length);
  });

  it('ran without errors in the browser console', () => {
    expect(problems).toEqual([]);
  });
});
