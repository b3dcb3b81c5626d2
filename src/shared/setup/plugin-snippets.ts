import { certificateNote, type SetupValues, type ShopSnippet, type SnippetBlock } from './shop-setup';

function fieldBlock(where: string, rows: [string, string | number][]): SnippetBlock[] {
  return [{ where, language: 'fields', code: fieldList(rows) }];
}

/** `Label:  value` lines, values aligned, as the settings page lists its fields. */
function fieldList(rows: [string, string | number][]): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`).join('\n');
}

/**
 * Shop systems set up through a settings page. Their mailers (PHPMailer, Symfony Mailer,
 * SwiftMailer) check the certificate against the server's trust store and offer no field for
 * a certificate file, so the note says to install the PEM there or use your own certificate.
 */
export function pluginSnippets(v: SetupValues): ShopSnippet[] {
  const note = certificateNote(v, 'trust-store', '');
  const certificate = { handling: 'trust-store' as const, note };
  const credentials: [string, string][] = [
    ['SMTP Username', v.username],
    ['SMTP Password', v.passwordPlaceholder],
  ];
  return [
    {
      system: 'wp-mail-smtp',
      name: 'WP Mail SMTP',
      blocks: fieldBlock('WordPress admin → WP Mail SMTP → Settings → General', [
        ['From Email', v.from],
        ['Mailer', 'Other SMTP'],
        ['SMTP Host', v.host],
        ['Encryption', 'TLS'],
        ['SMTP Port', v.port],
        ['Auto TLS', 'On'],
        ['Authentication', 'On'],
        ...credentials,
      ]),
      certificate,
    },
    {
      system: 'fluentsmtp',
      name: 'FluentSMTP',
      blocks: fieldBlock('WordPress admin → Settings → FluentSMTP → Add Connection → Other SMTP', [
        ['From Email', v.from],
        ['SMTP Host', v.host],
        ['SMTP Port', v.port],
        ['Encryption', 'Use TLS'],
        ['Use Auto TLS', 'On'],
        ['Authentication', 'On'],
        ...credentials,
      ]),
      certificate,
    },
    {
      system: 'magento',
      name: 'Magento 2',
      blocks: fieldBlock(
        'Admin → Stores → Configuration → Advanced → System → Mail Sending Settings (Magento 2.4.8 and later)',
        [
          ['Disable Email Communications', 'No'],
          ['Transport', 'SMTP'],
          ['Host', v.host],
          ['Port', v.port],
          ['SSL', 'TLS'],
          ['Authentication', 'LOGIN'],
          ['Username', v.username],
          ['Password', v.passwordPlaceholder],
        ],
      ),
      certificate,
    },
    {
      system: 'shopware',
      name: 'Shopware 6',
      blocks: fieldBlock('Admin → Settings → System → Mailer → SMTP server', [
        ['Host', v.host],
        ['Port', v.port],
        ['Username', v.username],
        ['Password', v.passwordPlaceholder],
        ['Encryption', 'TLS'],
        ['Authentication method', 'Login'],
        ['Sender address', v.from],
      ]),
      certificate,
    },
    {
      system: 'prestashop',
      name: 'PrestaShop',
      blocks: fieldBlock('Back office → Advanced Parameters → E-mail → "Set my own SMTP parameters"', [
        ['Mail domain name', v.from.slice(v.from.lastIndexOf('@') + 1)],
        ['SMTP server', v.host],
        ['SMTP username', v.username],
        ['SMTP password', v.passwordPlaceholder],
        ['Encryption', 'TLS'],
        ['Port', v.port],
      ]),
      certificate,
    },
  ];
}
