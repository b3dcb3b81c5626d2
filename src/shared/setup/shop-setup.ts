import { codeSnippets } from './code-snippets';
import { pluginSnippets } from './plugin-snippets';

/** The systems a "Set up your shop" panel offers, in the order it lists them. */
export const SHOP_SYSTEMS = [
  { id: 'wp-mail-smtp', name: 'WooCommerce / WordPress: WP Mail SMTP' },
  { id: 'fluentsmtp', name: 'WooCommerce / WordPress: FluentSMTP' },
  { id: 'magento', name: 'Magento 2' },
  { id: 'shopware', name: 'Shopware 6' },
  { id: 'prestashop', name: 'PrestaShop' },
  { id: 'laravel', name: 'Laravel (.env)' },
  { id: 'symfony', name: 'Symfony (MAILER_DSN)' },
  { id: 'django', name: 'Django (settings.py)' },
  { id: 'nodemailer', name: 'Node.js: Nodemailer' },
  { id: 'phpmailer', name: 'PHP: PHPMailer' },
  { id: 'smtplib', name: 'Python: smtplib' },
  { id: 'postfix', name: 'Postfix as relayhost' },
] as const;

export type ShopSystemId = (typeof SHOP_SYSTEMS)[number]['id'];

/** What a snippet is filled in with. */
export interface SetupValues {
  host: string;
  port: number;
  username: string;
  /** Stands for the password, which Relaydesk shows only at creation and rotation. */
  passwordPlaceholder: string;
  /** Sender address of the test mail, in one of the connection's sending domains. */
  from: string;
  /** Recipient of the test mail. */
  to: string;
  certificate: {
    source: 'generated' | 'custom';
    /** SHA-256, colon-separated hex. */
    fingerprint256: string;
    /** Host names and addresses the certificate is valid for. */
    names: string[];
    /** The name the certificate download is saved under, e.g. relaydesk-ca.pem. */
    pemFilename: string;
  };
}

/**
 * How the shop comes to trust the relay's certificate: `trust-file` — the snippet points the
 * client at the downloaded PEM; `trust-store` — the client uses the server's trust store only,
 * so the PEM goes there (or the relay gets a certificate the shop already trusts).
 */
export type CertificateHandling = 'trust-file' | 'trust-store';

/** One piece to copy: a file's content or a settings page's fields. */
export interface SnippetBlock {
  /** Where the text goes: the file or the settings page. */
  where: string;
  /** Code block language hint: the console shows it, nothing parses it. */
  language: 'javascript' | 'php' | 'python' | 'dotenv' | 'postfix' | 'fields' | 'shell';
  code: string;
}

export interface ShopSnippet {
  system: ShopSystemId;
  name: string;
  blocks: SnippetBlock[];
  certificate: { handling: CertificateHandling; note: string };
}

export interface ShopSetup {
  snippets: ShopSnippet[];
  /** False when the certificate does not name the host the shop connects to: the shop will refuse it. */
  hostMatchesCertificate: boolean;
  /** Why not, and what to do; null when it matches. */
  hostWarning: string | null;
}

/** `*.example.com` covers `relay.example.com`, not `example.com` nor `a.relay.example.com`. */
export function certificateNamesHost(names: string[], host: string): boolean {
  const wanted = host.toLowerCase();
  return names.some((raw) => {
    const name = raw.toLowerCase();
    if (name === wanted) return true;
    if (!name.startsWith('*.')) return false;
    const dot = wanted.indexOf('.');
    return dot > 0 && wanted.slice(dot + 1) === name.slice(2);
  });
}

/** Debian/Ubuntu's way of adding a certificate to the system trust store (OpenSSL, PHP, Python read it). */
export function trustStoreCommand(pemFilename: string): string {
  const crt = pemFilename.replace(/\.pem$/, '.crt');
  return `cp ${pemFilename} /usr/local/share/ca-certificates/${crt} && update-ca-certificates`;
}

const OWN_CERTIFICATE =
  'or give Relaydesk a certificate the shop already trusts: Settings → smtp.tlsCertFile and smtp.tlsKeyFile (a PEM certificate and key for the host name, e.g. from Let’s Encrypt).';

/** The certificate note of a snippet, in the user's words. */
export function certificateNote(
  values: SetupValues,
  handling: CertificateHandling,
  trustFileHint: string,
): string {
  const { pemFilename, source } = values.certificate;
  if (source === 'custom') {
    return `Relaydesk presents your own certificate, so the shop checks it against its usual trust store. If it was not issued by an authority the shop's server trusts, install its CA there (Debian/Ubuntu, as root): ${trustStoreCommand(pemFilename)}.`;
  }
  if (handling === 'trust-file') {
    return `Download Relaydesk's certificate (${pemFilename}) and ${trustFileHint}. The shop then checks that it talks to Relaydesk: never switch the certificate check off. Alternatively ${OWN_CERTIFICATE}`;
  }
  return `This system checks certificates against the server's trust store only. Download Relaydesk's certificate (${pemFilename}) and install it there — Debian/Ubuntu, as root: ${trustStoreCommand(pemFilename)}, then restart PHP-FPM or the web server — ${OWN_CERTIFICATE} Never switch the certificate check off.`;
}

/** Every system's snippet, filled in with this connection's values. */
export function renderShopSetup(values: SetupValues): ShopSetup {
  const matches = certificateNamesHost(values.certificate.names, values.host);
  const byId = new Map([...pluginSnippets(values), ...codeSnippets(values)].map((s) => [s.system, s]));
  const snippets = SHOP_SYSTEMS.map((s) => byId.get(s.id)).filter((s): s is ShopSnippet => s !== undefined);
  return {
    snippets,
    hostMatchesCertificate: matches,
    hostWarning: matches
      ? null
      : `The certificate is valid for ${values.certificate.names.join(', ') || 'no host name'}, not ${values.host}: shops that check it (all of these) will refuse it. ${
          values.certificate.source === 'generated'
            ? 'Set smtp.publicHost in Settings to the name shops use; Relaydesk then issues its certificate for that name.'
            : 'Use a certificate issued for that name, or set smtp.publicHost to a name the certificate carries.'
        }`,
  };
}

/** What stands for the password in every snippet (URL-safe, so it fits a DSN as well). */
export const PASSWORD_PLACEHOLDER = 'YOUR_SMTP_PASSWORD';
/** The name the certificate download is saved under; the snippets refer to it. */
export const CERTIFICATE_FILENAME = 'relaydesk-ca.pem';

/** The relay's STARTTLS certificate as a shop downloads it to trust it (public: no key). */
export interface CertificateDownload {
  filename: string;
  /** PEM text of the certificate (chain, for your own certificate). */
  pem: string;
  fingerprint256: string;
  subject: string;
  names: string[];
  validFrom: string;
  validTo: string;
  source: 'generated' | 'custom';
}

/** connections.setup: the values and every system's snippet for one connection. */
export interface ConnectionSetup {
  connectionId: string;
  values: SetupValues;
  setup: ShopSetup;
}
