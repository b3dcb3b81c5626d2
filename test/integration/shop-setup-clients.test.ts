/**
 * The "Set up your shop" snippets, executed as connections.setup renders them: each is written to
 * a file in a temporary folder beside the downloaded relaydesk-ca.pem, the real password put where
 * the placeholder stands, and run by the real client (Nodemailer, PHPMailer, smtplib, Symfony
 * Mailer, Django) against a relay on 127.0.0.1:0 that delivers to a local sink. A snippet that
 * only names values (Symfony's MAILER_DSN, Laravel's .env, Django's settings.py) is loaded the
 * way its framework loads it and used by the framework's own mailer where Debian ships it.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ShopSystemId } from '@shared/setup/shop-setup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, startRelay, type TestRelay, tempDir } from '../helpers/engine';
import type { Sender } from '../helpers/sender';
import {
  downloadCertificate,
  installed,
  parseDotenv,
  runClient,
  snippetBlocks,
  trustStoreWith,
} from '../helpers/shop-snippets';
import { type Sink, startSink } from '../helpers/sink';

const PHP = '/usr/bin/php';
const PHPMAILER = '/usr/share/php/libphp-phpmailer/autoload.php';
const SYMFONY_MAILER = '/usr/share/php/Symfony/Component/Mailer/autoload.php';
const PYTHON = '/usr/bin/python3';
const DJANGO = '/usr/lib/python3/dist-packages/django/__init__.py';

const work = tempDir('relaydesk-shop-setup-');
let relay: TestRelay;
let sink: Sink;
let sender: Sender;
let pem = '';

beforeAll(async () => {
  sink = await startSink();
  relay = await startRelay({ overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${sink.port}` } } });
  sender = await createConnection(relay);
  pem = await downloadCertificate(relay, work);
});

afterAll(async () => {
  await relay?.dispose();
  await sink?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The one block of a snippet, password filled in. */
async function code(system: ShopSystemId): Promise<string> {
  const blocks = await snippetBlocks(relay, sender.connection.id, system, sender.access.password);
  expect(blocks).toHaveLength(1);
  return blocks[0]?.code ?? '';
}

/** Waits for the next mail at the sink and checks it came from the snippet through the relay. */
async function expectDelivered(before: number, output: string): Promise<void> {
  try {
    await sink.waitFor(before + 1, 20_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nclient output:\n${output}`);
  }
  const mail = sink.messages[before];
  expect(mail?.to).toEqual(['you@example.org']);
  expect(mail?.raw.toString()).toMatch(/^Subject: Relaydesk test\r?$/m);
  expect(mail?.raw.toString()).toMatch(/^DKIM-Signature: /m);
}

const missing = (paths: string[], packages: string) =>
  paths.some((p) => !installed(p)) ? ` (SKIPPED: install ${packages})` : '';
const skip = (paths: string[]) => paths.some((p) => !installed(p));

describe('the shop setup snippets, run as rendered', () => {
  it('Nodemailer: the script trusts relaydesk-ca.pem, checks the host name and delivers', async () => {
    const script = await code('nodemailer');
    expect(script).toContain("tls: { ca: fs.readFileSync('relaydesk-ca.pem') }");
    expect(script).not.toMatch(/rejectUnauthorized/);
    writeFileSync(join(work, 'send-test.js'), script);
    const before = sink.messages.length;
    const run = await runClient(process.execPath, ['send-test.js'], {
      cwd: work,
      env: { NODE_PATH: resolve(__dirname, '../../node_modules') },
    });
    expect(run.output).toMatch(/250 .*queued as/);
    expect(run.exitCode).toBe(0);
    await expectDelivered(before, run.output);
  });

  it('Nodemailer: the same script without the certificate file is refused as self-signed (the check is real)', async () => {
    const script = (await code('nodemailer')).replace("fs.readFileSync('relaydesk-ca.pem')", 'undefined');
    writeFileSync(join(work, 'send-untrusted.js'), script);
    const run = await runClient(process.execPath, ['send-untrusted.js'], {
      cwd: work,
      env: { NODE_PATH: resolve(__dirname, '../../node_modules') },
    });
    expect(run.output).toMatch(/self[- ]signed certificate/i);
  });

  it.skipIf(skip([PYTHON]))(
    `Python smtplib: the script trusts relaydesk-ca.pem and delivers${missing([PYTHON], 'python3')}`,
    async () => {
      const script = await code('smtplib');
      expect(script).toContain("ssl.create_default_context(cafile='relaydesk-ca.pem')");
      writeFileSync(join(work, 'send_test.py'), script);
      const before = sink.messages.length;
      const run = await runClient(PYTHON, ['send_test.py'], { cwd: work });
      expect(run.output).toContain('sent');
      expect(run.exitCode).toBe(0);
      await expectDelivered(before, run.output);
    },
  );

  it.skipIf(skip([PHP, PHPMAILER]))(
    `PHPMailer (Debian's libphp-phpmailer): the script trusts relaydesk-ca.pem and delivers${missing([PHP, PHPMAILER], 'php-cli libphp-phpmailer')}`,
    async () => {
      const script = await code('phpmailer');
      expect(script).toContain(
        "$mail->SMTPOptions = ['ssl' => ['cafile' => __DIR__ . '/relaydesk-ca.pem']];",
      );
      writeFileSync(join(work, 'send-test.php'), script);
      const before = sink.messages.length;
      const run = await runClient(PHP, ['send-test.php'], { cwd: work });
      expect(run.output).toContain('sent');
      expect(run.exitCode).toBe(0);
      await expectDelivered(before, run.output);
    },
  );

  it.skipIf(skip([PHP, SYMFONY_MAILER]))(
    `Symfony: Symfony Mailer (Debian's php-symfony-mailer) reads MAILER_DSN, trusts the certificate from the trust store and delivers; without it, it refuses${missing([PHP, SYMFONY_MAILER], 'php-cli php-symfony-mailer')}`,
    async () => {
      const env = parseDotenv(await code('symfony'));
      expect(env.MAILER_DSN).toMatch(/^smtp:\/\/[^:]+:[^@]+@127\.0\.0\.1:\d+$/);
      writeFileSync(
        join(work, 'symfony-send.php'),
        [
          '<?php',
          `require '${SYMFONY_MAILER}';`,
          'use Symfony\\Component\\Mailer\\{Mailer, Transport};',
          'use Symfony\\Component\\Mime\\Email;',
          "$mailer = new Mailer(Transport::fromDsn(getenv('MAILER_DSN')));",
          "$mailer->send((new Email())->from('shop@example.com')->to('you@example.org')->subject('Relaydesk test')->text('It works.'));",
          'echo "sent\\n";',
        ].join('\n'),
      );
      const untrusted = await runClient(PHP, ['symfony-send.php'], {
        cwd: work,
        env: { MAILER_DSN: env.MAILER_DSN ?? '' },
      });
      expect(untrusted.exitCode).not.toBe(0);
      expect(untrusted.output).toMatch(/certificate verify failed|Unable to connect with STARTTLS/i);

      const before = sink.messages.length;
      const run = await runClient(PHP, ['symfony-send.php'], {
        cwd: work,
        env: { MAILER_DSN: env.MAILER_DSN ?? '', SSL_CERT_FILE: trustStoreWith(pem, work) },
      });
      expect(run.output).toContain('sent');
      await expectDelivered(before, run.output);
    },
  );

  it.skipIf(skip([PHP, SYMFONY_MAILER]))(
    `Laravel: the .env values, turned into a transport as Laravel 9+ does (Symfony's EsmtpTransportFactory), deliver with the certificate in the trust store${missing([PHP, SYMFONY_MAILER], 'php-cli php-symfony-mailer')}`,
    async () => {
      const env = parseDotenv(await code('laravel'));
      expect(env).toMatchObject({
        MAIL_MAILER: 'smtp',
        MAIL_HOST: '127.0.0.1',
        MAIL_PORT: String(relay.smtpPort),
      });
      // Laravel's MailManager::createSmtpTransport, reduced to what the .env feeds it.
      writeFileSync(
        join(work, 'laravel-send.php'),
        [
          '<?php',
          `require '${SYMFONY_MAILER}';`,
          'use Symfony\\Component\\Mailer\\Mailer;',
          'use Symfony\\Component\\Mailer\\Transport\\Dsn;',
          'use Symfony\\Component\\Mailer\\Transport\\Smtp\\EsmtpTransportFactory;',
          'use Symfony\\Component\\Mime\\Email;',
          "$port = (int) getenv('MAIL_PORT');",
          "$scheme = getenv('MAIL_SCHEME') ?: ($port === 465 ? 'smtps' : 'smtp');",
          "$dsn = new Dsn($scheme, getenv('MAIL_HOST'), getenv('MAIL_USERNAME'), getenv('MAIL_PASSWORD'), $port);",
          '$mailer = new Mailer((new EsmtpTransportFactory())->create($dsn));',
          "$mailer->send((new Email())->from(getenv('MAIL_FROM_ADDRESS'))->to('you@example.org')->subject('Relaydesk test')->text('It works.'));",
          'echo "sent\\n";',
        ].join('\n'),
      );
      const before = sink.messages.length;
      const run = await runClient(PHP, ['laravel-send.php'], {
        cwd: work,
        env: { ...env, SSL_CERT_FILE: trustStoreWith(pem, work) },
      });
      expect(run.output).toContain('sent');
      await expectDelivered(before, run.output);
    },
  );

  it.skipIf(skip([PYTHON, DJANGO]))(
    `Django: settings.py as rendered, with Django's SMTP backend (Debian's python3-django), delivers with the certificate in the trust store${missing([PYTHON, DJANGO], 'python3-django')}`,
    async () => {
      writeFileSync(join(work, 'settings.py'), await code('django'));
      writeFileSync(
        join(work, 'django_send.py'),
        [
          'from django.core.mail import send_mail',
          "send_mail('Relaydesk test', 'It works.', None, ['you@example.org'])",
          "print('sent')",
        ].join('\n'),
      );
      const before = sink.messages.length;
      const run = await runClient(PYTHON, ['django_send.py'], {
        cwd: work,
        env: {
          DJANGO_SETTINGS_MODULE: 'settings',
          PYTHONPATH: work,
          SSL_CERT_FILE: trustStoreWith(pem, work),
        },
      });
      expect(run.output).toContain('sent');
      await expectDelivered(before, run.output);
    },
  );
});
