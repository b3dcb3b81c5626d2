import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dnsRecordFor, generateDkimKey, importDkimKey, splitTxt } from '../../src/main/dkim/keys';

describe('DKIM key generation', () => {
  it('makes a 2048-bit RSA key whose DNS record carries its public key, split into ≤255-byte strings', async () => {
    const key = await generateDkimKey('rsa-sha256');
    expect(key.bits).toBe(2048);
    expect(key.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const spki = createPublicKey(key.privateKeyPem)
      .export({ type: 'spki', format: 'der' })
      .toString('base64');
    const record = dnsRecordFor('shop.example', 'rd202611', 'rsa-sha256', key.publicKeyBase64);
    expect(record.name).toBe('rd202611._domainkey.shop.example');
    expect(record.value).toBe(`v=DKIM1; k=rsa; p=${spki}`);
    expect(record.value.length).toBeGreaterThan(255);
    expect(record.strings.length).toBe(2);
    for (const s of record.strings) expect(Buffer.byteLength(s)).toBeLessThanOrEqual(255);
    expect(record.strings.join('')).toBe(record.value);
  });

  it('makes an Ed25519 key whose record holds the bare 32-byte public key (RFC 8463)', async () => {
    const key = await generateDkimKey('ed25519-sha256');
    expect(Buffer.from(key.publicKeyBase64, 'base64')).toHaveLength(32);
    const record = dnsRecordFor('shop.example', 'rd202611e', 'ed25519-sha256', key.publicKeyBase64);
    expect(record.value).toBe(`v=DKIM1; k=ed25519; p=${key.publicKeyBase64}`);
    expect(record.strings).toEqual([record.value]);
  });

  it('splits TXT values at 255 bytes and keeps every character', () => {
    const value = 'a'.repeat(600);
    expect(splitTxt(value).map((s) => s.length)).toEqual([255, 255, 90]);
  });
});

describe('DKIM key import', () => {
  it('reads PKCS#8 and PKCS#1 RSA keys and Ed25519 keys', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(pkcs1).toMatch(/BEGIN RSA PRIVATE KEY/);
    expect(importDkimKey(pkcs1)).toMatchObject({ algorithm: 'rsa-sha256', bits: 2048, warnings: [] });
    const ed = generateKeyPairSync('ed25519');
    expect(importDkimKey(ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())).toMatchObject({
      algorithm: 'ed25519-sha256',
      warnings: [],
    });
  });

  it('warns about an RSA key below 2048 bits', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const imported = importDkimKey(small.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    expect(imported.bits).toBe(1024);
    expect(imported.warnings).toEqual([expect.stringMatching(/only 1024 bits.*2048/)]);
  });

  it('refuses a public key, saying that signing needs the private key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pub = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => importDkimKey(pub)).toThrow(/public key or certificate; DKIM signing needs the private key/);
  });

  it('refuses garbage, an encrypted key and a key type DKIM cannot use, each with a field message', () => {
    const attempt = (pem: string) => {
      try {
        importDkimKey(pem);
      } catch (err) {
        return err as { code: string; message: string; fields: Record<string, string> };
      }
      throw new Error('accepted');
    };
    expect(attempt('hello world')).toMatchObject({
      code: 'invalid_params',
      fields: { privateKeyPem: expect.any(String) },
    });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const encrypted = rsa.privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' })
      .toString();
    expect(attempt(encrypted).message).toMatch(/passphrase/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(attempt(ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()).message).toMatch(
      /ec key cannot sign DKIM/,
    );
  });
});
