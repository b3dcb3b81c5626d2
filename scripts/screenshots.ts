/**
 * `npm run screenshots`: starts a headless Relaydesk with a little sample traffic and saves
 * the console pictures the README shows (docs/*.png).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium } from '../test/helpers/browser';
import { startHeadless } from '../test/helpers/headless';
import { mailer } from '../test/helpers/mailer';
import { createSender } from '../test/helpers/sender';

const docs = resolve(__dirname, '../docs');

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relaydesk-shots-'));
  const relay = await startHeadless(dataDir);
  const browser = await launchChromium();
  try {
    type Created = { access: { username: string; password: string } };
    const shop = await createSender(relay.call, { name: 'Webshop' }, 'shop.example');
    const crm = await createSender(relay.call, { name: 'Booking system', mode: 'sandbox' }, 'shop.example');
    const send = (access: Created['access'], to: string, subject: string, text: string) =>
      mailer(relay.smtpPort, access).sendMail({ from: 'Webshop <orders@shop.example>', to, subject, text });
    await send(shop.access, 'anna@example.org', 'Your order 10231 is confirmed', 'Thank you for your order.');
    await send(crm.access, 'ben@example.net', 'Your table for 4 on Friday, 19:30', 'See you soon.');
    await send(shop.access, 'carla@example.com', 'Your order 10232 has shipped', 'Tracking: 00340434');
    await send(shop.access, 'dirk@example.org', 'Reset your password', 'Use this link within 1 hour.');

    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(relay.consoleUrl);
    await page.getByTestId('message-row').first().waitFor();
    await send(
      shop.access,
      'emma@example.org',
      'Welcome! Please confirm your e-mail address',
      'Click to confirm.',
    );
    await page.getByTestId('message-row').filter({ hasText: 'Welcome!' }).waitFor();
    await page.screenshot({ path: join(docs, 'console.png') });
    console.log('wrote docs/console.png');
  } finally {
    await browser.close();
    await relay.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
