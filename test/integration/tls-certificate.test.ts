import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, startRelay, type TestRelay } from '../helpers/engine';
import { SmtpSession } from '../helpers/smtp-session';

let relay: TestRelay;
beforeAll(async () => {
  relay = await startRelay({ deliver: false });
});
afterAll(() => relay.dispose());

describe('the STARTTLS certificate', () => {
  it('is generated on first start, kept with a private key only the owner can read, and shown by fingerprint', async () => {
    const status = await relay.call('status.get', {});
    expect(status.smtp.tls.source).toBe('generated');
    expect(status.smtp.tls.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(await SmtpSession.presentedFingerprint(relay.smtpPort)).toBe(status.smtp.tls.fingerprint256);
    const { statSync } = await import('node:fs');
    expect(statSync(join(relay.dataDir, 'tls', 'relaydesk-key.pem')).mode & 0o077).toBe(0);
  });

  it("can be replaced by the user's own PEM pair without a restart", async () => {
    const pems = await generate([{ name: 'commonName', value: 'relay.example.com' }], { keySize: 2048 });
    const cert = join(relay.dataDir, 'own-cert.pem');
    const key = join(relay.dataDir, 'own-key.pem');
    writeFileSync(cert, pems.cert);
    writeFileSync(key, pems.private);
    await relay.call('settings.update', { values: { 'smtp.tlsCertFile': cert, 'smtp.tlsKeyFile': key } });
    const status = await relay.call('status.get', {});
    expect(status.smtp.tls.source).toBe('custom');
    expect(status.smtp.tls.subject).toContain('relay.example.com');
    expect(await SmtpSession.presentedFingerprint(relay.smtpPort)).toBe(status.smtp.tls.fingerprint256);
  });

  it('refuses a certificate file that is not one, or a key that does not match, and keeps the working one', async () => {
    const before = (await relay.call('status.get', {})).smtp.tls.fingerprint256;
    const garbage = join(relay.dataDir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    const other = await generate([{ name: 'commonName', value: 'other' }], { keySize: 2048 });
    const otherKey = join(relay.dataDir, 'other-key.pem');
    writeFileSync(otherKey, other.private);
    const ownCert = join(relay.dataDir, 'own-cert.pem');

    await expect(
      relay.call('settings.update', { values: { 'smtp.tlsCertFile': garbage, 'smtp.tlsKeyFile': otherKey } }),
    ).rejects.toMatchObject({ code: 'invalid_params' });
    await expect(
      relay.call('settings.update', { values: { 'smtp.tlsCertFile': ownCert, 'smtp.tlsKeyFile': otherKey } }),
    ).rejects.toThrow(/cannot be used with that key/);
    await expect(
      relay.call('settings.update', { values: { 'smtp.tlsCertFile': join(relay.dataDir, 'missing.pem') } }),
    ).rejects.toThrow(/cannot read the certificate files/);
    expect((await relay.call('status.get', {})).smtp.tls.fingerprint256).toBe(before);
    expect(await SmtpSession.presentedFingerprint(relay.smtpPort)).toBe(before);
  });

  it('goes back to the generated certificate when the setting is cleared', async () => {
    await relay.call('settings.update', { values: { 'smtp.tlsCertFile': '', 'smtp.tlsKeyFile': '' } });
    const status = await relay.call('status.get', {});
    expect(status.smtp.tls.source).toBe('generated');
    expect(await SmtpSession.presentedFingerprint(relay.smtpPort)).toBe(status.smtp.tls.fingerprint256);
  });

  it('is issued again for the host shops are told to use when smtp.publicHost names one it lacks, and kept when it has it', async () => {
    const before = (await relay.call('status.get', {})).smtp.tls;
    expect(before.names).toEqual(expect.arrayContaining(['localhost', '127.0.0.1']));
    await relay.call('settings.update', { values: { 'smtp.publicHost': 'localhost' } });
    expect((await relay.call('status.get', {})).smtp.tls.fingerprint256).toBe(before.fingerprint256);

    await relay.call('settings.update', { values: { 'smtp.publicHost': 'relay.shop.test' } });
    const after = (await relay.call('status.get', {})).smtp.tls;
    expect(after.source).toBe('generated');
    expect(after.names).toEqual(expect.arrayContaining(['relay.shop.test', 'localhost', '127.0.0.1']));
    expect(after.fingerprint256).not.toBe(before.fingerprint256);
    expect(await SmtpSession.presentedFingerprint(relay.smtpPort)).toBe(after.fingerprint256);
    const setup = await relay.call('connections.setup', {
      id: (await createConnection(relay)).connection.id,
    });
    expect(setup.values.host).toBe('relay.shop.test');
    expect(setup.setup.hostMatchesCertificate).toBe(true);
  });

  it('is offered for download as relaydesk-ca.pem: the certificate the relay presents, without its private key', async () => {
    const download = await relay.call('tls.certificate', {});
    expect(download.filename).toBe('relaydesk-ca.pem');
    expect(download.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(download.pem).not.toMatch(/PRIVATE KEY/);
    expect(new X509Certificate(download.pem).fingerprint256).toBe(download.fingerprint256);
    expect(await SmtpSession.presentedFingerprint(relay.smtpPort)).toBe(download.fingerprint256);
    expect(new Date(download.validTo).getTime()).toBeGreaterThan(new Date(download.validFrom).getTime());
  });
});
