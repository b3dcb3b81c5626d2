import type { SettingEntry } from '@shared/domain/settings';
import type { RelayStatus } from '@shared/domain/status';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInBrowser, openConsole } from '../helpers/console-browser';

let c: ConsoleInBrowser;

beforeAll(async () => {
  // The refused save answers HTTP 400, which Chromium logs as a console error.
  c = await openConsole({ expectedConsoleErrors: /400/ });
  await c.nav('Settings');
  await c.page.locator('[data-setting-key="smtp.port"]').waitFor();
}, 60_000);

afterAll(async () => {
  await c?.close();
});

const field = (key: string) => c.page.locator(`[data-setting-key="${key}"]`);
const stored = async (key: string) =>
  (await c.relay.call<SettingEntry[]>('settings.get', {})).find((e) => e.key === key)?.value;
/** A fresh page load, so what shows comes from the relay, not from the page's memory. */
const reopenSettings = async () => {
  await c.page.reload();
  await c.nav('Settings');
  await field('smtp.lockoutMinutes').waitFor();
};
const save = () => c.page.getByRole('button', { name: 'Save settings' }).click();

describe('Settings in Chromium', () => {
  it('shows the settings in groups, each in plain words with its unit and its raw key small beside', async () => {
    const headings = await c.page.locator('section[data-setting-group] h3').allTextContents();
    expect(headings).toEqual([
      'Relay & TLS',
      'Delivery & smarthost',
      'Bounces',
      'Quota & alerts',
      'Retention & activity log',
      'Console',
      'Desktop & notifications',
    ]);
    const lockout = field('smtp.lockoutMinutes');
    expect(await lockout.locator('label').textContent()).toBe('Lockout lengthsmtp.lockoutMinutes');
    expect(await lockout.getByTestId('setting-key').textContent()).toBe('smtp.lockoutMinutes');
    expect(await lockout.getByText('minutes', { exact: true }).isVisible()).toBe(true);
    expect(await field('smtp.maxMessageBytes').getByTestId('setting-amount').textContent()).toBe(
      '= 30.0 MiB',
    );
    // Within a group, what most people set comes first: the smarthost before the fixed routes.
    const delivery = c.page.locator('section[data-setting-group="delivery"] [data-setting-key]');
    expect(await delivery.first().getAttribute('data-setting-key')).toBe('delivery.smarthost');
    // The activity log keys sit with retention, not in a leftover group.
    const retention = c.page.locator('section[data-setting-group="retention"]');
    expect(await retention.locator('[data-setting-key="activity.maxEntries"]').count()).toBe(1);
    expect(c.problems).toEqual([]);
  });

  it('explains an out-of-range value as it is typed and saves nothing', async () => {
    const input = field('smtp.maxRecipients').locator('input');
    await input.fill('5000');
    const error = field('smtp.maxRecipients').getByText('must be at most 1000');
    await error.waitFor();
    await save();
    expect(await c.page.getByText('1 to fix before saving.', { exact: false }).isVisible()).toBe(true);
    expect(await stored('smtp.maxRecipients')).toBe(50);
    await c.page.getByRole('button', { name: 'Discard changes' }).click();
    await error.waitFor({ state: 'detached' });
  });

  it("shows the relay's own reason beside a value only the relay can judge, and saves nothing of the batch", async () => {
    await field('delivery.retrySchedule').locator('input').fill('soon, later');
    await field('smtp.lockoutMinutes').locator('input').fill('45');
    await save();
    await field('delivery.retrySchedule')
      .getByText('list durations like "5m, 10m, 1h"', { exact: false })
      .waitFor();
    expect(await stored('delivery.retrySchedule')).toBe('5m, 10m, 20m, 40m, 1h, 2h, 4h');
    expect(await stored('smtp.lockoutMinutes')).toBe(15);
    await c.page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('saves a valid value and shows it after a reload', async () => {
    await field('smtp.lockoutMinutes').locator('input').fill('45');
    await field('retention.bodyDays').locator('input').fill('7');
    await save();
    await c.page.getByText('Saved 2 settings.').waitFor();
    expect(await stored('smtp.lockoutMinutes')).toBe(45);
    await reopenSettings();
    expect(await field('smtp.lockoutMinutes').locator('input').inputValue()).toBe('45');
    expect(await field('retention.bodyDays').locator('input').inputValue()).toBe('7');
    expect(await c.page.getByTestId('restart-notice').count()).toBe(0);
  });

  it('says which settings apply only after a restart, and after saving one, that it waits', async () => {
    // The test relay's ports come from flags (an override, which no saved value replaces this run);
    // its SMTP listening address does not.
    const host = field('smtp.host');
    await host.getByText('takes effect after restart').waitFor();
    expect(await field('smtp.lockoutMinutes').getByText('takes effect after restart').count()).toBe(0);
    await host.locator('input').fill('127.0.0.2');
    await save();
    const notice = c.page.getByTestId('restart-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Listening address (smtp.host)');
    await host.getByText('saved, waiting for restart').waitFor();
    await reopenSettings();
    await c.page.getByTestId('restart-notice').waitFor();
    expect(await stored('smtp.host')).toBe('127.0.0.2');
    // Still listening where it started until then.
    expect(await c.page.getByText(`127.0.0.1:${c.relay.smtpPort}`).count()).toBe(1);
    expect(c.problems.filter((p) => !/400/.test(p))).toEqual([]);
  });

  it('offers the restart, says what it does, and comes back on the same page with the saved value in use', async () => {
    const { startedAt } = await c.relay.call<RelayStatus>('status.get', {});
    const notice = c.page.getByTestId('restart-notice');
    await notice.getByRole('button', { name: 'Restart now' }).click();
    const dialog = c.page.getByRole('dialog', { name: 'Restart Relaydesk?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Mail already accepted stays in the queue');
    // Cancel does nothing.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await c.relay.call<RelayStatus>('status.get', {})).startedAt).toBe(startedAt);

    await notice.getByRole('button', { name: 'Restart now' }).click();
    await dialog.getByRole('button', { name: 'Restart now' }).click();
    await c.page.getByTestId('restart-progress').waitFor();
    // The page reloads once the next run answers: the notice is gone, Settings still open.
    await c.page.getByTestId('restart-progress').waitFor({ state: 'detached', timeout: 30_000 });
    await field('smtp.host').waitFor();
    expect(await c.page.getByTestId('restart-notice').count()).toBe(0);
    expect(await field('smtp.host').getByText('saved, waiting for restart').count()).toBe(0);
    const status = await c.relay.call<RelayStatus>('status.get', {});
    expect(status.startedAt).not.toBe(startedAt);
    expect(status.smtp).toMatchObject({ host: '127.0.0.2', port: c.relay.smtpPort });
    expect(c.page.url()).toContain('#/settings');
    expect(c.problems.filter((p) => !/400|Failed to fetch|ERR_CONNECTION|net::/.test(p))).toEqual([]);
  }, 60_000);
});
