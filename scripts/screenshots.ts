/**
 * `npm run screenshots`: starts a headless Relaydesk with a little sample traffic and saves
 * the console pictures the README shows (docs/*.png), a dark and an 800 px wide one included.
 * Takes about a minute: the Dashboard's chart needs mail in more than one minute bucket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium } from '../test/helpers/browser';
import { startHeadless } from '../test/helpers/headless';
import { mailer } from '../test/helpers/mailer';
import { createSender } from '../test/helpers/sender';
import { startSink } from '../test/helpers/sink';

const docs = resolve(__dirname, '../docs');
/** A 24×24 orange square, the shop's "logo" (inline, by cid:). */
const LOGO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAAH0lEQVR4nGP4WydCFcQwatCoQaMGjRo0atCoQQNvEADENoHui02dNgAAAABJRU5ErkJggg==',
  'base64',
);
const ORDER_HTML = `<div style="font-family:Arial,sans-serif;max-width:560px">
  <p><img src="cid:logo@shop" width="48" height="48" alt="Webshop"></p>
  <h2 style="color:#1c7ed6">Thank you for your order 10300</h2>
  <p>Hello Fenna, we have received your order and will ship it within two working days.</p>
  <table style="border-collapse:collapse;width:100%">
    <tr><td style="padding:4px;border-bottom:1px solid #ddd">1 × Espresso cups (set of 4)</td>
        <td style="padding:4px;border-bottom:1px solid #ddd;text-align:right">€ 24.95</td></tr>
    <tr><td style="padding:4px"><b>Total</b></td><td style="padding:4px;text-align:right"><b>€ 24.95</b></td></tr>
  </table>
  <p><img src="https://shop.example/banner-autumn.jpg" width="520" height="80" alt="Autumn sale"></p>
  <p style="color:#868e96;font-size:12px">Webshop · Dorpsstraat 1 · 1234 AB Ergens</p>
</div>`;
const WAVE_GAP_MS = 25_000;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relaydesk-shots-'));
  // The recipients' mail server: one address is gone (a hard bounce), one greylists (deferred).
  const mx = await startSink({
    onRcpt: (a) =>
      a.startsWith('old-address@')
        ? { code: 550, message: '5.1.1 User unknown' }
        : a.startsWith('greylisted@')
          ? { code: 451, message: '4.7.1 Greylisted, try again later' }
          : 'accept',
  });
  const relay = await startHeadless(dataDir);
  const browser = await launchChromium();
  try {
    // More than the demo's 25 mails an hour go out below.
    await relay.call('quota.bookBlock', { size: 25000 });
    const route = `127.0.0.1:${mx.port}`;
    await relay.call('settings.update', {
      values: { 'delivery.routes': { 'example.org': route, 'example.com': route, 'example.net': route } },
    });
    type Created = { access: { username: string; password: string } };
    const shop = await createSender(relay.call, { name: 'Webshop' }, 'shop.example');
    const crm = await createSender(relay.call, { name: 'Booking system', mode: 'sandbox' }, 'shop.example');
    const send = (access: Created['access'], to: string, subject: string, text: string) =>
      mailer(relay.smtpPort, access).sendMail({ from: 'Webshop <orders@shop.example>', to, subject, text });
    await send(shop.access, 'anna@example.org', 'Your order 10231 is confirmed', 'Thank you for your order.');
    await send(crm.access, 'ben@example.net', 'Your table for 4 on Friday, 19:30', 'See you soon.');
    await send(shop.access, 'carla@example.com', 'Your order 10232 has shipped', 'Tracking: 00340434');
    await send(shop.access, 'dirk@example.org', 'Reset your password', 'Use this link within 1 hour.');

    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
    await page.goto(relay.consoleUrl);
    // The console opens on the Dashboard; this picture is of Messages.
    await page.getByRole('link', { name: 'Messages', exact: true }).click();
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
    // An 800 px window: the sidebar waits behind the burger, the list drops connection and size.
    await page.setViewportSize({ width: 800, height: 600 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(docs, 'console-800.png') });
    console.log('wrote docs/console-800.png');
    await page.setViewportSize({ width: 1280, height: 720 });

    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    const waves = [6, 11, 8];
    for (const [w, size] of waves.entries()) {
      if (w > 0) await new Promise((r) => setTimeout(r, WAVE_GAP_MS));
      for (let i = 0; i < size; i++) {
        await send(
          shop.access,
          `customer${w}-${i}@example.org`,
          `Your order ${10240 + w * 20 + i}`,
          'Thanks.',
        );
      }
    }
    await send(shop.access, 'old-address@example.org', 'Your invoice 2024-118', 'Attached.');
    await send(shop.access, 'greylisted@example.com', 'Your order 10299 is confirmed', 'Thanks.');
    const sent = 5 + waves.reduce((a, b) => a + b, 0) + 2;
    await page
      .getByTestId('dashboard-arrived-today')
      .filter({ hasText: String(sent) })
      .waitFor();
    await page.getByTestId('dashboard-bounce').first().waitFor();
    await page.getByTestId('dashboard-bounced-today').filter({ hasText: '1' }).waitFor();
    // The whole Dashboard, down to the latest bounces (pages scroll inside the shell, so no fullPage).
    await page.setViewportSize({ width: 1280, height: 1180 });
    // Let the last pushes and the chart settle.
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(docs, 'dashboard.png') });
    console.log('wrote docs/dashboard.png');
    // The same in dark mode: the console follows the system's setting unless the user chose one.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(docs, 'dashboard-dark.png') });
    console.log('wrote docs/dashboard-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });

    // A message in the inspector: an HTML order confirmation with an inline logo and a PDF.
    await mailer(relay.smtpPort, shop.access).sendMail({
      from: 'Webshop <orders@shop.example>',
      to: 'fenna@example.org',
      subject: 'Your order 10300 is confirmed',
      text: 'Thank you for your order 10300.\n\n1 × Espresso cups (set of 4)  € 24.95',
      html: ORDER_HTML,
      attachments: [
        { filename: 'logo.png', content: LOGO, cid: 'logo@shop', contentType: 'image/png' },
        {
          filename: 'invoice-10300.pdf',
          content: Buffer.from('%PDF-1.4\n%%EOF\n'),
          contentType: 'application/pdf',
        },
      ],
    });
    await page.getByRole('link', { name: 'Messages', exact: true }).click();
    await page.getByTestId('message-row').filter({ hasText: 'order 10300' }).click();
    await page.getByTestId('dkim-result').first().waitFor();
    await page.getByTestId('remote-blocked').waitFor();
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(docs, 'message-detail.png') });
    console.log('wrote docs/message-detail.png');
  } finally {
    await browser.close();
    await relay.stop();
    await mx.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
