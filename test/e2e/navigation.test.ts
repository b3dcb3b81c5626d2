import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInBrowser, confirmCopiedAndClose, openConsole } from '../helpers/console-browser';
import { mailer } from '../helpers/mailer';
import { createSender } from '../helpers/sender';

let ui: ConsoleInBrowser;
let page: Page;
let access: { username: string; password: string };
/** Relay ids of the delivered "Nav order 1..3", in the order sent. */
const delivered: string[] = [];

beforeAll(async () => {
  ui = await openConsole({
    routeToSink: ['example.org'],
    // gone@ has no mailbox (a hard bounce); busy@ is always deferred and stays in the queue.
    sink: {
      onRcpt: (a) =>
        a.startsWith('gone@')
          ? { code: 550, message: '5.1.1 User unknown' }
          : a.startsWith('busy@')
            ? { code: 451, message: '4.2.1 Try again later' }
            : 'accept',
    },
    before: async (r) => {
      ({ access } = await createSender(r.call, { name: 'Shop' }));
    },
  });
  page = ui.page;
  const send = async (to: string, subject: string) => {
    const info = await mailer(ui.relay.smtpPort, access).sendMail({
      from: 'shop@example.com',
      to,
      subject,
      text: 'x',
    });
    return /queued as (\w+)/.exec(info.response)?.[1] ?? '';
  };
  for (const n of [1, 2, 3]) delivered.push(await send(`buyer${n}@example.org`, `Nav order ${n}`));
  await send('gone@example.org', 'Nav lost order');
  await send('busy@example.org', 'Nav waiting order');
  await ui.mx?.waitFor(3);
});

afterAll(() => ui?.close());

const hash = async () => new URL(page.url()).hash;
/** Nothing focused: keys go to the page. */
const blur = () => page.evaluate('document.activeElement && document.activeElement.blur()');
const base = () => ui.relay.baseUrl;
const currentPage = () =>
  page.getByRole('navigation', { name: 'Pages' }).locator('[aria-current="page"]').textContent();
const subject = () => page.getByTestId('message-subject').textContent();
const focusedId = () =>
  page.evaluate<string | null>(
    "document.activeElement && document.activeElement.getAttribute('data-message-id')",
  );
/** The message rows' ids, top to bottom, once `count` are shown (bounded wait). */
async function rowIds(count: number): Promise<string[]> {
  const rows = page.getByTestId('message-row');
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(count);
  return rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-message-id') ?? ''));
}

describe('console URLs in Chromium', () => {
  it('opens a page from a deep link and stays on it after a reload', async () => {
    await expect.poll(hash, { timeout: 5000 }).toBe('#/dashboard');
    await page.goto(`${base()}/#/bounces`);
    await expect.poll(currentPage, { timeout: 5000 }).toBe('Bounces');
    await page.getByTestId('bounce-row').first().waitFor();
    await page.reload();
    await expect.poll(currentPage, { timeout: 5000 }).toBe('Bounces');
    expect(await hash()).toBe('#/bounces');
    expect(await page.getByRole('heading', { name: 'Bounces' }).count()).toBe(1);
  });

  it('opens a message from its link, also after a reload', async () => {
    await page.goto(`${base()}/#/messages/${delivered[1]}`);
    await expect.poll(subject, { timeout: 5000 }).toBe('Nav order 2');
    await page.reload();
    await expect.poll(subject, { timeout: 5000 }).toBe('Nav order 2');
    expect(await hash()).toBe(`#/messages/${delivered[1]}`);
    expect(await currentPage()).toBe('Messages');
  });

  it('goes back to the list and then the page before with the back button, and forward again', async () => {
    await ui.nav('Dashboard');
    await expect.poll(hash).toBe('#/dashboard');
    await ui.nav('Messages');
    await page.getByTestId('message-row').filter({ hasText: 'Nav order 1' }).click();
    await expect.poll(subject, { timeout: 5000 }).toBe('Nav order 1');
    expect(await hash()).toBe(`#/messages/${delivered[0]}`);

    await page.goBack();
    await page.getByTestId('message-list').waitFor();
    expect(await hash()).toBe('#/messages');
    expect(await page.getByTestId('message-subject').count()).toBe(0);
    await page.goBack();
    await expect.poll(currentPage).toBe('Dashboard');
    expect(await hash()).toBe('#/dashboard');
    await page.goForward();
    await expect.poll(currentPage).toBe('Messages');
  });

  it('shows a message in a new tab opened from its row, and from its copied link after the token', async () => {
    await page.goto(`${base()}/#/messages`);
    const row = page.getByTestId('message-row').filter({ hasText: 'Nav order 3' });
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      row.click({ modifiers: ['Control'] }),
    ]);
    await expect
      .poll(() => tab.getByTestId('message-subject').textContent(), { timeout: 10_000 })
      .toBe('Nav order 3');
    // The tab this one was opened from still shows the list.
    expect(await page.getByTestId('message-list').count()).toBe(1);
    await tab.close();

    // A link pasted into a fresh browser: the console asks for its token, then shows the message.
    const link = `${base()}/#/messages/${delivered[2]}`;
    const other = await (await ui.browser.newContext()).newPage();
    await other.goto(link);
    await other.getByLabel('Console token').fill(ui.relay.token);
    await other.getByRole('button', { name: 'Open console' }).click();
    await expect
      .poll(() => other.getByTestId('message-subject').textContent(), { timeout: 10_000 })
      .toBe('Nav order 3');
    expect(new URL(other.url()).hash).toBe(`#/messages/${delivered[2]}`);
    await other.context().close();
  });

  it('keeps Messages filters in the URL: a reload and a deep link show the same filtered list', async () => {
    await page.goto(`${base()}/#/messages?status=delivered`);
    expect((await rowIds(3)).sort()).toEqual([...delivered].sort());
    await page.reload();
    expect((await rowIds(3)).sort()).toEqual([...delivered].sort());
    expect(await page.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('delivered');
    // A value the list does not know is left out, not sent to the relay.
    await page.goto(`${base()}/#/messages?status=nonsense`);
    await rowIds(5);
    expect(await hash()).toBe('#/messages');
  });

  it('keeps search words typed just before leaving the page', async () => {
    await page.goto(`${base()}/#/messages`);
    await rowIds(5);
    // Typed and gone at once, well inside the 300 ms the field waits for more typing.
    await page.getByRole('textbox', { name: 'Search messages' }).fill('customer');
    await ui.nav('Dashboard');
    await ui.nav('Messages');
    expect(await page.getByRole('textbox', { name: 'Search messages' }).inputValue()).toBe('customer');
    expect(await hash()).toBe('#/messages?text=customer');
    await page.goto(`${base()}/#/messages`);
  });
});

describe('the keyboard in Chromium', () => {
  it('focuses the page search with /, but types / into a field', async () => {
    await page.goto(`${base()}/#/messages`);
    await rowIds(5);
    await blur();
    await page.keyboard.press('/');
    const search = page.getByRole('textbox', { name: 'Search messages' });
    expect(await search.evaluate((el) => el.matches(':focus'))).toBe(true);
    await page.keyboard.type('a/b');
    expect(await search.inputValue()).toBe('a/b');
    await search.fill('');

    await ui.nav('Bounces');
    await blur();
    await page.keyboard.press('/');
    expect(
      await page.getByRole('textbox', { name: 'Recipient or text' }).evaluate((el) => el.matches(':focus')),
    ).toBe(true);
  });

  it('moves the selection with the arrow keys, opens with Enter and closes with Esc', async () => {
    await page.goto(`${base()}/#/messages`);
    const ids = await rowIds(5);
    await blur();
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedId).toBe(ids[0]);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedId).toBe(ids[2]);
    await page.keyboard.press('ArrowUp');
    await expect.poll(focusedId).toBe(ids[1]);

    await page.keyboard.press('Enter');
    await page.getByTestId('message-subject').waitFor();
    expect(await hash()).toBe(`#/messages/${ids[1]}`);
    await page.keyboard.press('Escape');
    await page.getByTestId('message-list').waitFor();
    expect(await hash()).toBe('#/messages');
    // The selection is where it was: the next arrow goes on from the message just closed.
    await expect.poll(focusedId).toBe(ids[1]);
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedId).toBe(ids[2]);
  });

  it('closes a dialog with Esc and leaves the open message alone', async () => {
    await page.goto(`${base()}/#/messages/${delivered[0]}`);
    await expect.poll(subject, { timeout: 5000 }).toBe('Nav order 1');
    await ui.nav('Bounces');
    await page.getByTestId('bounce-row').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await currentPage()).toBe('Bounces');
  });
  it('closes the connect wizard with Esc, but not once it shows the new password', async () => {
    await ui.nav('Connections');
    await page.getByRole('button', { name: 'New connection' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);

    await page.getByRole('button', { name: 'New connection' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Keyboard shop');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Domain', { exact: true }).fill('example.com');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByTestId('access-password').waitFor();
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    expect(await page.getByTestId('access-password').count()).toBe(1);
    await confirmCopiedAndClose(page);
    await expect.poll(() => dialog.count()).toBe(0);
  });
});

describe('the Dashboard counts in Chromium', () => {
  const openFromDashboard = async (testId: string) => {
    await ui.nav('Dashboard');
    const link = page.getByTestId(testId);
    await expect.poll(() => link.getAttribute('href'), { timeout: 10_000 }).toBeTruthy();
    await link.click();
  };
  const today = () => page.evaluate(() => new Date().toLocaleDateString('sv'));

  it('opens the delivered messages of the day from Delivered, and Back returns to the Dashboard', async () => {
    await ui.nav('Dashboard');
    await expect
      .poll(() => page.getByTestId('dashboard-delivered-today').textContent(), { timeout: 10_000 })
      .toBe('3');
    await openFromDashboard('dashboard-delivered-today');
    expect(await hash()).toBe(`#/messages?fromDate=${await today()}&status=delivered`);
    expect((await rowIds(3)).sort()).toEqual([...delivered].sort());
    await page.goBack();
    await expect.poll(currentPage).toBe('Dashboard');

    // The 7-day window starts at a whole hour: the list starts there too, shown as a removable scope.
    await openFromDashboard('dashboard-arrived-7-days');
    await rowIds(5);
    const since = Number(/since=(\d+)/.exec(await hash())?.[1]);
    expect(Date.now() - since).toBeGreaterThan(7 * 86_400_000 - 3_600_000);
    expect(Date.now() - since).toBeLessThanOrEqual(7 * 86_400_000 + 3_600_000);
    expect(await page.getByTestId('messages-since').textContent()).toContain('Accepted since');
    await page.getByRole('button', { name: 'Show messages of any time' }).click();
    expect(await hash()).toBe('#/messages');
  });

  it('opens the bounces from Bounced, the queue from its counts, refusals from Rejected and quota from the quota left', async () => {
    await openFromDashboard('dashboard-bounced-today');
    await expect.poll(currentPage).toBe('Bounces');
    await expect.poll(() => page.getByTestId('bounce-row').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByRole('combobox', { name: 'Kind' }).inputValue()).toBe('Bounce');
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe(await today());

    await openFromDashboard('dashboard-queue-deferred');
    await expect.poll(currentPage).toBe('Queue');
    await expect.poll(() => page.getByTestId('queue-row').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('queue-row').textContent()).toContain('busy@example.org');
    expect(await hash()).toBe('#/queue?status=deferred');

    await openFromDashboard('dashboard-rejected-30-days');
    await expect.poll(currentPage).toBe('Activity');
    expect(await page.getByTestId('activity-scope').textContent()).toContain(
      'Mails refused after login since',
    );

    await openFromDashboard('dashboard-quota-remaining');
    await expect.poll(currentPage).toBe('Quota & Billing');
    expect(ui.problems).toEqual([]);
  });
});
