import { certificateNote, type SetupValues, type ShopSnippet, type SnippetBlock } from './shop-setup';

const POSTFIX_DIR = '/etc/postfix';

/** An IPv4 or IPv6 address rather than a host name. */
export function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** Single-quoted string literal for JavaScript, PHP and Python (the values are host names, user names, addresses). */
const q = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function nodemailer(v: SetupValues, pem: string | null): string {
  return [
    "const fs = require('node:fs');",
    "const nodemailer = require('nodemailer');",
    '',
    'const transporter = nodemailer.createTransport({',
    `  host: ${q(v.host)},`,
    `  port: ${v.port},`,
    '  secure: false, // STARTTLS: the session starts plain and switches to TLS before logging in',
    '  requireTLS: true,',
    `  auth: { user: ${q(v.username)}, pass: ${q(v.passwordPlaceholder)} },`,
    ...(pem ? [`  tls: { ca: fs.readFileSync(${q(pem)}) }, // trust Relaydesk's certificate`] : []),
    '});',
    '',
    'transporter',
    `  .sendMail({ from: ${q(v.from)}, to: ${q(v.to)}, subject: 'Relaydesk test', text: 'It works.' })`,
    '  .then((info) => console.log(info.response));',
  ].join('\n');
}

function phpmailer(v: SetupValues, pem: string | null): string {
  return [
    '<?php',
    "// Debian/Ubuntu: apt install libphp-phpmailer. With Composer: require 'vendor/autoload.php'; instead.",
    "require '/usr/share/php/libphp-phpmailer/autoload.php';",
    '',
    'use PHPMailer\\PHPMailer\\PHPMailer;',
    '',
    '$mail = new PHPMailer(true);',
    '$mail->isSMTP();',
    `$mail->Host = ${q(v.host)};`,
    `$mail->Port = ${v.port};`,
    '$mail->SMTPSecure = PHPMailer::ENCRYPTION_STARTTLS;',
    '$mail->SMTPAuth = true;',
    `$mail->Username = ${q(v.username)};`,
    `$mail->Password = ${q(v.passwordPlaceholder)};`,
    ...(pem
      ? [
          "// Trust Relaydesk's certificate; the certificate and the host name are still checked.",
          `$mail->SMTPOptions = ['ssl' => ['cafile' => __DIR__ . ${q(`/${pem}`)}]];`,
        ]
      : []),
    '',
    `$mail->setFrom(${q(v.from)});`,
    `$mail->addAddress(${q(v.to)});`,
    "$mail->Subject = 'Relaydesk test';",
    "$mail->Body = 'It works.';",
    '$mail->send();',
    'echo "sent\\n";',
  ].join('\n');
}

function smtplib(v: SetupValues, pem: string | null): string {
  return [
    'import smtplib',
    'import ssl',
    'from email.message import EmailMessage',
    '',
    pem
      ? `# Trust Relaydesk's certificate; the host name is checked too.\ncontext = ssl.create_default_context(cafile=${q(pem)})`
      : 'context = ssl.create_default_context()',
    '',
    'msg = EmailMessage()',
    `msg['From'] = ${q(v.from)}`,
    `msg['To'] = ${q(v.to)}`,
    "msg['Subject'] = 'Relaydesk test'",
    "msg.set_content('It works.')",
    '',
    `with smtplib.SMTP(${q(v.host)}, ${v.port}) as smtp:`,
    '    smtp.starttls(context=context)',
    `    smtp.login(${q(v.username)}, ${q(v.passwordPlaceholder)})`,
    '    smtp.send_message(msg)',
    "print('sent')",
  ].join('\n');
}

function django(v: SetupValues): string {
  return [
    "EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'",
    `EMAIL_HOST = ${q(v.host)}`,
    `EMAIL_PORT = ${v.port}`,
    'EMAIL_USE_TLS = True  # STARTTLS',
    `EMAIL_HOST_USER = ${q(v.username)}`,
    `EMAIL_HOST_PASSWORD = ${q(v.passwordPlaceholder)}`,
    `DEFAULT_FROM_EMAIL = ${q(v.from)}`,
  ].join('\n');
}

/** URL-encoded for a DSN (user names and generated passwords need none; a hand-typed value might). */
const u = encodeURIComponent;

function laravel(v: SetupValues): string {
  return [
    'MAIL_MAILER=smtp',
    '# STARTTLS on a port other than 465 (Laravel 11 and later; 9 and 10 read MAIL_ENCRYPTION)',
    'MAIL_SCHEME=smtp',
    'MAIL_ENCRYPTION=tls',
    `MAIL_HOST=${v.host}`,
    `MAIL_PORT=${v.port}`,
    `MAIL_USERNAME=${v.username}`,
    `MAIL_PASSWORD=${v.passwordPlaceholder}`,
    `MAIL_FROM_ADDRESS=${v.from}`,
  ].join('\n');
}

function symfony(v: SetupValues): string {
  const host = v.host.includes(':') ? `[${v.host}]` : v.host;
  return [
    '# STARTTLS is used on its own: Relaydesk offers it and refuses to go on without it.',
    `MAILER_DSN=smtp://${u(v.username)}:${u(v.passwordPlaceholder)}@${host}:${v.port}`,
  ].join('\n');
}

function postfix(v: SetupValues, pem: string | null): SnippetBlock[] {
  // Postfix writes an IPv6 next hop as [ipv6:…].
  const nexthop = `[${v.host.includes(':') ? `ipv6:${v.host}` : v.host}]:${v.port}`;
  const tls =
    isIpAddress(v.host) && pem !== null
      ? [
          '# The relay is reached by address: pin its certificate by fingerprint.',
          'smtp_tls_security_level = fingerprint',
          'smtp_tls_fingerprint_digest = sha256',
          `smtp_tls_fingerprint_cert_match = ${v.certificate.fingerprint256}`,
        ]
      : [
          // Not smtp_tls_CAfile: Postfix refuses a self-signed server certificate given as a CA
          // ("certificate verification failed … self-signed certificate"); a trust anchor it takes.
          '# Encrypt, and check the certificate and the host name.',
          'smtp_tls_security_level = secure',
          ...(pem
            ? [`smtp_tls_trust_anchor_file = ${POSTFIX_DIR}/${pem}`]
            : ['smtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt']),
        ];
  const main = [
    '# Send all mail through Relaydesk',
    `relayhost = ${nexthop}`,
    'smtp_sasl_auth_enable = yes',
    `smtp_sasl_password_maps = texthash:${POSTFIX_DIR}/relaydesk_passwd`,
    'smtp_sasl_security_options = noanonymous',
    'smtp_sasl_tls_security_options = noanonymous',
    ...tls,
  ];
  return [
    { where: `${POSTFIX_DIR}/main.cf (add at the end)`, language: 'postfix', code: main.join('\n') },
    {
      where: `${POSTFIX_DIR}/relaydesk_passwd`,
      language: 'postfix',
      code: `${nexthop} ${v.username}:${v.passwordPlaceholder}`,
    },
    {
      where: 'then, as root',
      language: 'shell',
      code: `chmod 600 ${POSTFIX_DIR}/relaydesk_passwd && postfix reload`,
    },
  ];
}

/** Systems set up in code or a configuration file. */
export function codeSnippets(v: SetupValues): ShopSnippet[] {
  const generated = v.certificate.source === 'generated';
  const pem = generated ? v.certificate.pemFilename : null;
  const trustFile = (hint: string) => ({
    handling: 'trust-file' as const,
    note: certificateNote(v, 'trust-file', hint),
  });
  const trustStore = { handling: 'trust-store' as const, note: certificateNote(v, 'trust-store', '') };
  const postfixHint =
    isIpAddress(v.host) && generated
      ? `keep it for reference: the snippet pins the certificate by its SHA-256 fingerprint, because Postfix checks names, not addresses`
      : `save it as ${POSTFIX_DIR}/${v.certificate.pemFilename}`;
  return [
    {
      system: 'laravel',
      name: 'Laravel',
      blocks: [{ where: '.env of the Laravel app', language: 'dotenv', code: laravel(v) }],
      certificate: trustStore,
    },
    {
      system: 'symfony',
      name: 'Symfony',
      blocks: [{ where: '.env.local of the Symfony app', language: 'dotenv', code: symfony(v) }],
      certificate: trustStore,
    },
    {
      system: 'django',
      name: 'Django',
      blocks: [{ where: 'settings.py', language: 'python', code: django(v) }],
      certificate: trustStore,
    },
    {
      system: 'nodemailer',
      name: 'Nodemailer',
      blocks: [
        { where: 'send-test.js (npm install nodemailer)', language: 'javascript', code: nodemailer(v, pem) },
      ],
      certificate: trustFile('save it next to the script'),
    },
    {
      system: 'phpmailer',
      name: 'PHPMailer',
      blocks: [{ where: 'send-test.php', language: 'php', code: phpmailer(v, pem) }],
      certificate: trustFile('save it next to the script'),
    },
    {
      system: 'smtplib',
      name: 'Python smtplib',
      blocks: [{ where: 'send_test.py', language: 'python', code: smtplib(v, pem) }],
      certificate: trustFile('save it in the folder the script runs in'),
    },
    {
      system: 'postfix',
      name: 'Postfix',
      blocks: postfix(v, pem),
      certificate: trustFile(postfixHint),
    },
  ];
}
