import type { MessageDetail } from '@shared/domain/message';
import type { QuotaSummary } from '@shared/domain/quota';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInBrowser, confirmCopiedAndClose, openConsole } from '../helpers/console-browser';
import type { HeadlessRelay } from '../helpers/headless';
import { sendMail } from '../helpers/mailer';
import { createSender } from '../helpers/sender';
import type { Sink } from '../helpers/sink';

let ui: ConsoleInBrowser;
let relay: HeadlessRelay;
let page: Page;
let mx: Sink;
let live: { username: string; password: string };
let sandbox: { username: string; password: string };

beforeAll(async () => {
  ui = await openConsole({
    routeToSink: ['example.org'],
    // stuck…@ is always deferred, so it waits in the queue.
    sink: {
      onRcpt: (address) =>
        address.startsWith('stuck')
          ? { code: 451, message: '4.2.1 Mailbox busy, try again later' }
          : 'accept',
    },
    before: async (r) => {
      ({ access: live } = await createSender(r.call, { name: 'Webshop' }));
      ({ access: sandbox } = await createSender(r.call, { name: 'Staging', mode: 'sandbox' }));
    },
  });
  ({ relay, page } = ui);
  mx = ui.mx as Sink;
});

afterAll(() => ui?.close());

const dialog = () => page.getByRole('dialog');
/** Gives the console time to react to a key or click that must change nothing. */
const settle = () => page.waitForTimeout(400);
const send = (access: { username: string; password: string }, to: string[], subject: string) =>
  sendMail(relay.smtpPort, access, { from: 'shop@example.com', to, subject });
const statuses = async (id: string) =>
  (await relay.call<MessageDetail>('messages.get', { id })).recipientStates.map((r) => r.status);

/** A dialog showing a secret once survives Esc and a click outside, has no ×, and Done waits for the tick. */
async function expectSecretDialogStays(testId: string) {
  await page.keyboard.press('Escape');
  await settle();
  expect(await page.getByTestId(testId).isVisible()).toBe(true);
  await page.mouse.click(5, 5);
  await settle();
  expect(await page.getByTestId(testId).isVisible()).toBe(true);
  expect(await dialog().locator('.mantine-Modal-close').count()).toBe(0);
  expect(await dialog().getByRole('button', { name: 'Done' }).isDisabled()).toBe(true);
  await confirmCopiedAndClose(page);
  await expect.poll(() => dialog().count(), { timeout: 5000 }).toBe(0);
}

describe('a once-only password dialog in Chromium', () => {
  it("stays on the wizard's last step through Esc and a click outside until the user ticks that it is copied", async () => {
    await ui.nav('Connections');
    await page.getByRole('button', { name: 'New connection' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Dev laptop');
    await dialog().getByText('Sandbox', { exact: true }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByTestId('access-password').waitFor();
    // The test mail would close the wizard too: it waits for the tick as well.
    await page.getByTestId('send-test-not-yet').waitFor();
    expect(await dialog().getByRole('button', { name: 'Send test mail' }).isDisabled()).toBe(true);
    await expectSecretDialogStays('access-password');
    await page.getByTestId('connection-row').filter({ hasText: 'Dev laptop' }).waitFor();
  });

  it('stays after Rotate password in the same way', async () => {
    const row = page.getByTestId('connection-row').filter({ hasText: 'Webshop' });
    await row.getByRole('button', { name: 'Rotate password' }).click();
    await dialog().getByRole('button', { name: 'Rotate password' }).click();
    await page.getByTestId('access-password').waitFor();
    const rotated = (await page.getByTestId('access-password').textContent()) ?? '';
    expect(rotated).not.toBe(live.password);
    await expectSecretDialogStays('access-password');
    live = { ...live, password: rotated };
  });
});

describe('unique connection names in Chromium', () => {
  it('refuses a name another connection has (in another case) inline in the wizard, which stays on the name step', async () => {
    await ui.nav('Connections');
    await page.getByRole('button', { name: 'New connection' }).click();
    await page.getByLabel('Name', { exact: true }).fill('  webSHOP ');
    await page.getByRole('button', { name: 'Next' }).click();
    await dialog()
      .getByText(/is already the name of another connection \("Webshop"\)/)
      .waitFor();
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Name', { exact: true }).fill('Webshop EU');
    await page.getByRole('button', { name: 'Next' }).click();
    await dialog().getByText('Sending domains', { exact: false }).first().waitFor();
    expect(
      await dialog()
        .getByText(/already the name/)
        .count(),
    ).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().count(), { timeout: 5000 }).toBe(0);
  });

  it('refuses it inline when a connection is renamed, and keeps the old name', async () => {
    const row = page.getByTestId('connection-row').filter({ hasText: 'Staging' });
    await row.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Name', { exact: true }).fill('WEBSHOP');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await dialog()
      .getByText(/is already the name of another connection \("Webshop"\)/)
      .waitFor();
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    const names = (await relay.call<{ name: string }[]>('connections.list')).map((c) => c.name).sort();
    expect(names).toEqual(['Dev laptop', 'Staging', 'Webshop']);
  });
});

describe('confirmations that say what will happen, in Chromium', () => {
  const blocks = async () =>
    (await relay.call<QuotaSummary>('quota.get', {})).blocks.filter((b) => b.kind === 'block');

  it('shows the price and renewal before booking a block, books nothing on Cancel, and books as shown on confirm', async () => {
    await ui.nav('Quota & Billing');
    const terms = page.getByTestId('booking-terms');
    await terms.waitFor();
    expect(await terms.textContent()).toMatch(
      /^25,000 mails for €19\.00, valid 30 days\. Renews automatically every 30 days for €19\.00/,
    );
    await page.getByRole('button', { name: 'Book block' }).click();
    expect(await dialog().getByRole('heading').textContent()).toBe('Book 25,000 mails for €19.00?');
    expect(await dialog().getByTestId('booking-confirm-terms').textContent()).toMatch(/Renews automatically/);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog().count(), { timeout: 5000 }).toBe(0);
    expect(await blocks()).toEqual([]);

    await page.getByLabel('Renew every 30 days').click();
    await expect.poll(() => terms.textContent()).toMatch(/Does not renew/);
    await page.getByRole('button', { name: 'Book block' }).click();
    expect(await dialog().getByTestId('booking-confirm-terms').textContent()).toMatch(/Does not renew/);
    await dialog().getByRole('button', { name: 'Book for €19.00' }).click();
    await expect
      .poll(() => blocks(), { timeout: 5000 })
      .toMatchObject([{ size: 25_000, priceMicros: 19_000_000, autoRenew: false }]);
  });

  it('says how many recipients and which before releasing a capture; Cancel keeps it captured', async () => {
    const id = await send(sandbox, ['ann@example.org', 'bob@example.org'], 'Captured twice');
    await ui.nav('Messages');
    await page.getByTestId('message-row').filter({ hasText: 'Captured twice' }).click();
    await page.getByRole('button', { name: 'Release to delivery' }).click();
    expect(await dialog().getByTestId('release-summary').textContent()).toBe(
      'Relaydesk delivers this mail to 2 recipients: ann@example.org, bob@example.org.',
    );
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog().count(), { timeout: 5000 }).toBe(0);
    expect(await statuses(id)).toEqual(['captured', 'captured']);
    const before = mx.messages.length;

    await page.getByRole('button', { name: 'Release to delivery' }).click();
    await dialog().getByRole('button', { name: 'Release to 2 recipients' }).click();
    await expect.poll(() => statuses(id), { timeout: 10_000 }).toEqual(['delivered', 'delivered']);
    expect(mx.messages.length).toBe(before + 2);
  });

  it('names the mail and every waiting recipient before a queue Cancel; "Keep it" keeps them waiting', async () => {
    const id = await send(live, ['stuck-1@example.org', 'stuck-2@example.org'], 'Stuck order 4711');
    await expect.poll(() => statuses(id), { timeout: 10_000 }).toEqual(['deferred', 'deferred']);
    await ui.nav('Queue');
    const row = page.getByTestId('queue-row').filter({ hasText: 'stuck-1@example.org' });
    await row.getByRole('button', { name: 'Cancel' }).click();
    const summary = dialog().getByTestId('cancel-summary');
    await summary.waitFor();
    const text = (await summary.textContent()) ?? '';
    expect(text).toContain('“Stuck order 4711”');
    expect(text).toContain('these 2 recipients');
    expect(await summary.getByRole('listitem').allTextContents()).toEqual([
      'stuck-1@example.org',
      'stuck-2@example.org',
    ]);
    await dialog().getByRole('button', { name: 'Keep it' }).click();
    await expect.poll(() => dialog().count(), { timeout: 5000 }).toBe(0);
    expect(await statuses(id)).toEqual(['deferred', 'deferred']);

    await row.getByRole('button', { name: 'Cancel' }).click();
    await dialog().getByTestId('cancel-summary').waitFor();
    await dialog().getByRole('button', { name: 'Cancel delivery' }).click();
    await expect.poll(() => statuses(id), { timeout: 5000 }).toEqual(['cancelled', 'cancelled']);
    expect(ui.problems).toEqual([]);
  });
});
