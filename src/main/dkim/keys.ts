import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { AppError } from '@shared/api/errors';
import type { DkimAlgorithm } from '@shared/domain/sending-domain';

const generate = promisify(generateKeyPair);

export interface KeyMaterial {
  algorithm: DkimAlgorithm;
  /** PKCS#8 PEM; never leaves the main process. */
  privateKeyPem: string;
  /** The p= value of the DNS record. */
  publicKeyBase64: string;
  bits: number;
}

/** p= per RFC 6376 (RSA: SubjectPublicKeyInfo) and RFC 8463 (Ed25519: the bare 32-byte key). */
function publicKeyValue(key: KeyObject, algorithm: DkimAlgorithm): string {
  const pub = createPublicKey(key);
  if (algorithm === 'ed25519-sha256') {
    const spki = pub.export({ type: 'spki', format: 'der' });
    return spki.subarray(spki.length - 32).toString('base64');
  }
  return pub.export({ type: 'spki', format: 'der' }).toString('base64');
}

function material(key: KeyObject, algorithm: DkimAlgorithm): KeyMaterial {
  return {
    algorithm,
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyBase64: publicKeyValue(key, algorithm),
    bits: algorithm === 'rsa-sha256' ? (key.asymmetricKeyDetails?.modulusLength ?? 0) : 256,
  };
}

export async function generateDkimKey(algorithm: DkimAlgorithm): Promise<KeyMaterial> {
  if (algorithm === 'ed25519-sha256') {
    const { privateKey } = await generate('ed25519');
    return material(privateKey, algorithm);
  }
  const { privateKey } = await generate('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  return material(privateKey, algorithm);
}

export interface ImportedKey extends KeyMaterial {
  warnings: string[];
}

/** Reads a PEM private key (PKCS#1, PKCS#8 or SEC1-free Ed25519); refuses public keys and anything else. */
export function importDkimKey(pem: string): ImportedKey {
  const text = pem.trim();
  if (/-----BEGIN (RSA )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(text)) {
    throw new AppError(
      'invalid_params',
      'This is a public key or certificate; DKIM signing needs the private key.',
      {
        privateKeyPem:
          'paste the PEM block that begins with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----',
      },
    );
  }
  if (/ENCRYPTED/.test(text)) {
    throw new AppError(
      'invalid_params',
      'The key is protected by a passphrase; export it without one and import again.',
      {
        privateKeyPem: 'must be an unencrypted PEM private key',
      },
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new AppError('invalid_params', 'This is not a PEM private key Relaydesk can read.', {
      privateKeyPem: 'paste a PEM private key (RSA or Ed25519), including its BEGIN and END lines',
    });
  }
  if (key.asymmetricKeyType === 'ed25519') return { ...material(key, 'ed25519-sha256'), warnings: [] };
  if (key.asymmetricKeyType !== 'rsa') {
    throw new AppError(
      'invalid_params',
      `A ${key.asymmetricKeyType} key cannot sign DKIM; use RSA or Ed25519.`,
      {
        privateKeyPem: 'must be an RSA or Ed25519 private key',
      },
    );
  }
  const imported = material(key, 'rsa-sha256');
  const warnings =
    imported.bits < 2048
      ? [
          `This RSA key has only ${imported.bits} bits; receivers increasingly ignore keys below 2048 bits. Generate a new 2048-bit key soon.`,
        ]
      : [];
  if (imported.bits < 1024) {
    throw new AppError(
      'invalid_params',
      `A ${imported.bits}-bit RSA key is too weak: receivers treat it as no signature.`,
      {
        privateKeyPem: 'use an RSA key of at least 1024 bits, better 2048',
      },
    );
  }
  return { ...imported, warnings };
}

/** The TXT record to publish for a key: its name and value, split into ≤255-byte strings. */
export function dnsRecordFor(
  domain: string,
  selector: string,
  algorithm: DkimAlgorithm,
  publicKeyBase64: string,
) {
  const value = `v=DKIM1; k=${algorithm === 'ed25519-sha256' ? 'ed25519' : 'rsa'}; p=${publicKeyBase64}`;
  return { name: `${selector}._domainkey.${domain}`, value, strings: splitTxt(value) };
}

/** A TXT character-string holds at most 255 bytes (RFC 1035 §3.3.14). */
export function splitTxt(value: string): string[] {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += 255) parts.push(value.slice(i, i + 255));
  return parts;
}
