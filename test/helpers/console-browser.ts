import { rmSync } from 'node:fs';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { tempDir } from './engine';
import { type HeadlessRelay, startHeadless } from './headless';
import { type Sink, type SinkOptions, startSink } from './sink';

/**
 * What a browser test starts from: the built headless relay (`npm run serve`) in a fresh data
 * folder, its console open in Chromium, and — when asked — a local next-hop sink for some domains.
 */
export interface ConsoleInBrowser {
  relay: HeadlessRelay;
  browser: Browser;
  page: Page;
  /** The sink that `routeToSink` domains are delivered to. */
  mx: Sink | undefined;
  /** Uncaught page errors and console errors, except those `expectedConsoleErrors` matches. */
  problems: string[];
  /** Clicks the sidebar link with exactly this name. */
  nav(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface ConsoleOptions {
  /** Domains whose mail goes to a fresh local sink (`mx`). */
  routeToSink?: readonly string[];
  sink?: SinkOptions;
  /** Settings applied before the console opens. */
  settings?: Record<string, unknown>;
  viewport?: { width: number; height: number };
  /** Browser context options (permissions, downloads). */
  context?: BrowserContextOptions;
  /** Console errors the test causes on purpose (e.g. a refused call's HTTP 400). */
  expectedConsoleErrors?: RegExp;
  /** Runs once the relay is up, before the console opens (e.g. create a connection). */
  before?: (relay: HeadlessRelay) => Promise<void>;
}

export async function openConsole(o: ConsoleOptions = {}): Promise<ConsoleInBrowser> {
  const dataDir = tempDir();
  const mx = o.routeToSink ? await startSink(o.sink) : undefined;
  const relay = await startHeadless(dataDir);
  const routes = Object.fromEntries((o.routeToSink ?? []).map((d) => [d, `127.0.0.1:${mx?.port}`]));
  const values = { ...(mx ? { 'delivery.routes': routes } : {}), ...o.settings };
  if (Object.keys(values).length > 0) await relay.call('settings.update', { values });
  await o.before?.(relay);
  const browser = await launchChromium();
  const context = await browser.newContext({
    viewport: o.viewport ?? { width: 1400, height: 900 },
    ...o.context,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !o.expectedConsoleErrors?.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(relay.consoleUrl);
  return {
    relay,
    browser,
    page,
    mx,
    problems,
    nav: (name) => page.getByRole('link', { name, exact: true }).first().click(),
    async close() {
      await browser.close();
      await relay.stop();
      await mx?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Closes a dialog that shows a secret once: ticks "I have copied the …", then Done. */
export async function confirmCopiedAndClose(page: Page): Promise<void> {
  await page
    .getByRole('dialog')
    .getByLabel(/^I have copied the /)
    .check();
  await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
}
