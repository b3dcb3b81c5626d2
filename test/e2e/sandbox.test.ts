import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInBrowser, confirmCopiedAndClose, openConsole } from '../helpers/console-browser';
import type { HeadlessRelay } from '../helpers/headless';
import type { Sink } from '../helpers/sink';
import { authArgs, swaks } from '../helpers/swaks';

let ui: ConsoleInBrowser;
let relay: HeadlessRelay;
let mx: Sink;
let page: Page;
let problems: string[];

beforeAll(async () => {
  ui = await openConsole({
    routeToSink: ['example.org', 'example.net'],
    expectedConsoleErrors: /status of 400/,
  });
  ({ relay, page, problems } = ui);
  mx = ui.mx as Sink;
});

afterAll(() => ui?.close());

const nav = (name: string) => ui.nav(name);
const dialog = () => page.getByRole('dialog');

describe('a sandbox connection for developers in Chromium', () => {
  let access: { port: number; username: string; password: string };
  const random = randomBytes(4).toString('hex');
  const from = `qa-${random}@random-${random}.example`;

  it('is created in the wizard as a sandbox that accepts any sender, with no sending domain', async () => {
    await nav('Connections');
    await page.getByRole('button', { name: 'New connection' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Dev laptop');
    await dialog().getByText('Sandbox', { exact: true }).click();
    const anySender = page.getByLabel('Accept any sender');
    await anySender.waitFor();
    expect(await anySender.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('any-sender-domains-hint').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Create connection' }).click();

    await page.getByTestId('access-password').waitFor();
    const text = async (id: string) => (await page.getByTestId(id).first().textContent()) ?? '';
    access = {
      port: Number(await text('access-port')),
      username: await text('access-username'),
      password: await text('access-password'),
    };
    await confirmCopiedAndClose(page);
    const row = page.getByTestId('connection-row').filter({ hasText: 'Dev laptop' });
    await expect.poll(() => row.textContent()).toMatch(/sandbox.*any sender/);
  });

  it('captures mail from a random From via SMTP and releases it, after confirming, to a typed address only', async () => {
    const sent = await swaks(access.port, [
      ...authArgs(access),
      '--from',
      from,
      '--to',
      'customer@example.org',
      '--header',
      `Subject: Sandbox order ${random}`,
      '--body',
      'Your order is confirmed.',
    ]);
    expect(sent.exitCode, sent.output).toBe(0);

    await nav('Messages');
    const row = page.getByTestId('message-row').filter({ hasText: `Sandbox order ${random}` });
    await row.waitFor({ timeout: 5000 });
    expect(await row.textContent()).toMatch(/captured/);
    await row.click();
    await page.getByRole('button', { name: 'Release to delivery' }).click();
    expect(await page.getByTestId('release-summary').textContent()).toMatch(
      /1 recipient: customer@example\.org/,
    );
    await page.getByTestId('release-signing-note').waitFor();

    await dialog().getByLabel('Only an address I type').check();
    await dialog().getByRole('textbox', { name: 'Address' }).fill('not an address');
    await dialog().getByRole('button', { name: 'Release to this address' }).click();
    await expect
      .poll(() => page.getByTestId('confirm-refusal').textContent())
      .toMatch(/not an e-mail address/);
    expect(mx.messages).toHaveLength(0);

    await dialog().getByRole('textbox', { name: 'Address' }).fill('dev@example.net');
    expect(await page.getByTestId('release-summary').textContent()).toMatch(
      /1 recipient: dev@example\.net\. The original recipient \(customer@example\.org\) is not contacted/,
    );
    await dialog().getByRole('button', { name: 'Release to this address' }).click();
    await mx.waitFor(1);
    expect(mx.messages.map((m) => m.to)).toEqual([['dev@example.net']]);
    expect(mx.messages[0]?.raw.toString()).toContain(`From: ${from}`);
    await expect.poll(() => page.getByText('Released to dev@example.net only').count()).toBe(1);

    await page.getByRole('tab', { name: /Recipients & attempts/ }).click();
    await expect.poll(() => page.getByTestId('attempt').count(), { timeout: 5000 }).toBe(1);
    expect(await page.getByTestId('attempt').first().textContent()).toMatch(/delivered/);
    await new Promise((r) => setTimeout(r, 500));
    expect(mx.messages.flatMap((m) => m.to)).not.toContain('customer@example.org');
  });

  it('deletes all captured mail of the connection after saying how many', async () => {
    for (const n of [1, 2]) {
      const sent = await swaks(access.port, [
        ...authArgs(access),
        '--from',
        `other-${n}@anywhere.example`,
        '--to',
        'customer@example.org',
        '--header',
        `Subject: To be deleted ${n}`,
      ]);
      expect(sent.exitCode, sent.output).toBe(0);
    }
    await nav('Connections');
    await page
      .getByTestId('connection-row')
      .filter({ hasText: 'Dev laptop' })
      .getByRole('button', { name: 'Delete captured' })
      .click();
    await expect
      .poll(() => page.getByTestId('delete-captured-count').textContent())
      .toMatch(/deletes 2 captured mails/);
    await dialog().getByRole('button', { name: 'Delete 2 captured mails' }).click();
    await expect.poll(() => page.getByText('Deleted 2 captured mails of Dev laptop.').count()).toBe(1);
    const connections = await relay.call<{ id: string; name: string }[]>('connections.list', {});
    const dev = connections.find((c) => c.name === 'Dev laptop');
    expect(await relay.call('messages.countCaptured', { connectionId: dev?.id })).toMatchObject({
      messages: 0,
    });

    await nav('Messages');
    await page
      .getByTestId('message-row')
      .filter({ hasText: `Sandbox order ${random}` })
      .waitFor();
    expect(await page.getByTestId('message-row').filter({ hasText: 'To be deleted' }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
