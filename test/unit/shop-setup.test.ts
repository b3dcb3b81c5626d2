import { renderShopSetup, type SetupValues, SHOP_SYSTEMS } from '@shared/setup/shop-setup';
import { describe, expect, it } from 'vitest';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(
  ':',
);

function values(
  patch: Partial<SetupValues> = {},
  certificate: Partial<SetupValues['certificate']> = {},
): SetupValues {
  return {
    host: 'relay.shop.lan',
    port: 2525,
    username: 'webshop-k3x9q2',
    passwordPlaceholder: 'YOUR_SMTP_PASSWORD',
    from: 'shop@example.com',
    to: 'you@example.org',
    ...patch,
    certificate: {
      source: 'generated',
      fingerprint256: FINGERPRINT,
      names: ['relay.shop.lan', 'localhost', '127.0.0.1'],
      pemFilename: 'relaydesk-ca.pem',
      ...certificate,
    },
  };
}

const codeOf = (setup: ReturnType<typeof renderShopSetup>, system: string) =>
  setup.snippets
    .find((s) => s.system === system)
    ?.blocks.map((b) => b.code)
    .join('\n') ?? '';

describe('the shop setup snippets', () => {
  it("give every system listed its snippet, filled in with the connection's host, port, username and the password placeholder", () => {
    const setup = renderShopSetup(values());
    expect(setup.snippets.map((s) => s.system)).toEqual(SHOP_SYSTEMS.map((s) => s.id));
    for (const s of setup.snippets) {
      const code = s.blocks.map((b) => b.code).join('\n');
      expect(code, s.system).toContain('relay.shop.lan');
      expect(code, s.system).toContain('2525');
      expect(code, s.system).toContain('webshop-k3x9q2');
      expect(code, s.system).toContain('YOUR_SMTP_PASSWORD');
      expect(s.certificate.note.length, s.system).toBeGreaterThan(40);
    }
  });

  it('never tell the shop to switch the certificate check off', () => {
    for (const s of renderShopSetup(values()).snippets) {
      const code = s.blocks.map((b) => b.code).join('\n');
      expect(code, s.system).not.toMatch(
        /rejectUnauthorized|verify_peer|CERT_NONE|check_hostname|security_level = (may|encrypt)/,
      );
    }
  });

  it('point clients that can trust a file at the downloaded relaydesk-ca.pem, the others at the trust store', () => {
    const setup = renderShopSetup(values());
    const handling = Object.fromEntries(setup.snippets.map((s) => [s.system, s.certificate.handling]));
    expect(handling).toMatchObject({
      nodemailer: 'trust-file',
      phpmailer: 'trust-file',
      smtplib: 'trust-file',
      postfix: 'trust-file',
    });
    expect(handling).toMatchObject({
      'wp-mail-smtp': 'trust-store',
      magento: 'trust-store',
      symfony: 'trust-store',
      laravel: 'trust-store',
    });
    expect(codeOf(setup, 'nodemailer')).toContain("tls: { ca: fs.readFileSync('relaydesk-ca.pem') }");
    expect(codeOf(setup, 'postfix')).toContain('smtp_tls_trust_anchor_file = /etc/postfix/relaydesk-ca.pem');
    expect(setup.snippets.find((s) => s.system === 'magento')?.certificate.note).toContain(
      'as root: cp relaydesk-ca.pem /usr/local/share/ca-certificates/relaydesk-ca.crt && update-ca-certificates',
    );
  });

  it('pin the fingerprint in Postfix when the relay is reached by address, since Postfix matches names only', () => {
    const code = codeOf(
      renderShopSetup(values({ host: '192.168.1.20' }, { names: ['192.168.1.20'] })),
      'postfix',
    );
    expect(code).toContain('relayhost = [192.168.1.20]:2525');
    expect(code).toContain('smtp_tls_security_level = fingerprint');
    expect(code).toContain(`smtp_tls_fingerprint_cert_match = ${FINGERPRINT}`);
  });

  it("leave the certificate file out when the relay uses the user's own certificate", () => {
    const setup = renderShopSetup(values({}, { source: 'custom', names: ['*.shop.lan'] }));
    expect(setup.hostMatchesCertificate).toBe(true);
    expect(codeOf(setup, 'nodemailer')).not.toContain('relaydesk-ca.pem');
    expect(codeOf(setup, 'smtplib')).toContain('ssl.create_default_context()');
    expect(codeOf(setup, 'postfix')).toContain('smtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt');
    expect(setup.snippets[0]?.certificate.note).toMatch(/your own certificate/);
  });

  it('warn, with what to do, when the certificate does not name the host shops connect to', () => {
    const setup = renderShopSetup(
      values({ host: 'mail.shop.lan' }, { source: 'custom', names: ['relay.shop.lan'] }),
    );
    expect(setup.hostMatchesCertificate).toBe(false);
    expect(setup.hostWarning).toMatch(/valid for relay\.shop\.lan, not mail\.shop\.lan/);
    expect(setup.hostWarning).toMatch(/smtp\.publicHost/);
  });

  it('fill the Symfony DSN and the Laravel .env so a real client reads them', () => {
    const setup = renderShopSetup(values());
    expect(codeOf(setup, 'symfony')).toMatch(
      /^MAILER_DSN=smtp:\/\/webshop-k3x9q2:YOUR_SMTP_PASSWORD@relay\.shop\.lan:2525$/m,
    );
    expect(codeOf(setup, 'laravel')).toMatch(/^MAIL_HOST=relay\.shop\.lan$/m);
    expect(codeOf(setup, 'laravel')).toMatch(/^MAIL_PORT=2525$/m);
  });
});
