import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInBrowser, openConsole } from '../helpers/console-browser';
import type { HeadlessRelay } from '../helpers/headless';
import { mailer } from '../helpers/mailer';
import { createSender } from '../helpers/sender';
import { swaksWrongLogin } from '../helpers/swaks';

let ui: ConsoleInBrowser;
let relay: HeadlessRelay;
let page: Page;
let access: { username: string; password: string };

beforeAll(async () => {
  ui = await openConsole({
    before: async (r) => {
      ({ access } = await createSender(r.call, { name: 'Shop' }));
    },
  });
  ({ relay, page } = ui);
});

afterAll(() => ui?.close());

const nav = (name: string) => ui.nav(name);
const rows = () => page.getByTestId('activity-row');

/** Waits (bounded) until the Activity table shows `count` rows, and returns their texts. */
async function rowTexts(count: number): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  while ((await rows().count()) !== count && Date.now() < deadline) await page.waitForTimeout(100);
  expect(await rows().count()).toBe(count);
  return rows().allTextContents();
}

describe('the Activity page in Chromium', () => {
  it('starts empty, then lists a failed login and a refused sender as they happen', async () => {
    await nav('Activity');
    await page.getByTestId('activity-empty').waitFor();
    expect(await page.getByTestId('activity-empty').textContent()).toContain('No refusals');

    const login = await swaksWrongLogin(relay.smtpPort, access.username, 'not-the-password');
    expect(login.replies.some((l) => l.startsWith('535 5.7.8'))).toBe(true);
    await expect(
      mailer(relay.smtpPort, access).sendMail({
        from: 'news@elsewhere.example',
        to: 'customer@example.org',
        subject: 'x',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });

    const [sender, failedLogin] = await rowTexts(2);
    expect(failedLogin).toContain('Login failed');
    expect(failedLogin).toContain('127.0.0.1');
    expect(failedLogin).toContain(`user ${access.username}`);
    expect(failedLogin).toContain('AUTH PLAIN');
    expect(failedLogin).toContain('535 5.7.8 Authentication credentials invalid');
    expect(failedLogin).not.toContain('not-the-password');
    expect(sender).toContain('Sender refused');
    expect(sender).toContain('Shop');
    expect(sender).toContain('DATA');
    expect(sender).toContain('550 5.7.1 "elsewhere.example" is not a sending domain of connection "Shop"');
  });

  it('narrows the list by category and by search words', async () => {
    await page.getByRole('combobox', { name: 'Category' }).click();
    await page.getByRole('option', { name: 'Login failed' }).click();
    const [only] = await rowTexts(1);
    expect(only).toContain('Login failed');

    await page.getByRole('combobox', { name: 'Category' }).click();
    await page.getByRole('option', { name: 'Any category' }).click();
    await rowTexts(2);
    await page.getByRole('textbox', { name: 'Search' }).fill('elsewhere');
    expect(await rowTexts(1)).toEqual([expect.stringContaining('Sender refused')]);
    await page.getByRole('textbox', { name: 'Search' }).fill('');
    await rowTexts(2);
  });

  it("opens from the Dashboard's Rejected figure, filtered to the mails refused after login", async () => {
    await nav('Dashboard');
    const rejected = page.getByTestId('dashboard-rejected-today');
    const deadline = Date.now() + 15_000;
    while ((await rejected.textContent()) !== '1' && Date.now() < deadline) await page.waitForTimeout(100);
    expect(await rejected.textContent()).toBe('1');
    await rejected.click();

    await page.getByRole('heading', { name: 'Activity' }).waitFor();
    expect(await page.getByTestId('activity-scope').textContent()).toMatch(
      /^Mails refused after login since /,
    );
    const [refused] = await rowTexts(1);
    expect(refused).toContain('Sender refused');

    await page.getByRole('button', { name: 'Show all refusals' }).click();
    await rowTexts(2);
    expect(await page.getByTestId('activity-scope').count()).toBe(0);
  });
});
