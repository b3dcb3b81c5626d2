import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { AppError } from '@shared/api/errors';
import type { TlsCertificateInfo } from '@shared/domain/status';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
  info: TlsCertificateInfo;
}

const GENERATED_CERT = 'relaydesk-cert.pem';
const GENERATED_KEY = 'relaydesk-key.pem';
const TEN_YEARS_MS = 10 * 365 * 86_400_000;

/** `DNS:relay.lan, IP Address:127.0.0.1` → `['relay.lan', '127.0.0.1']`. */
function namesOf(x509: X509Certificate): string[] {
  return (x509.subjectAltName ?? '')
    .split(/,\s*/)
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ''))
    .filter((name) => name !== '');
}

/** Whether the certificate is valid for every name (a host name or an IP address). */
function covers(x509: X509Certificate, names: string[]): boolean {
  return names.every((name) => (isIP(name) ? x509.checkIP(name) : x509.checkHost(name)) !== undefined);
}

function describe(cert: string, key: string, source: TlsCertificateInfo['source']): TlsMaterial {
  const x509 = new X509Certificate(cert);
  // Throws "key values mismatch" when the key does not belong to the certificate.
  createSecureContext({ cert, key });
  return {
    cert,
    key,
    info: {
      fingerprint256: x509.fingerprint256,
      subject: x509.subject.replace(/\n/g, ', '),
      validTo: x509.validTo,
      names: namesOf(x509),
      validFrom: x509.validFrom,
      source,
    },
  };
}

/** Loads the user's own PEM pair and checks that it is a certificate with its matching private key. */
export async function loadCustomCertificate(certFile: string, keyFile: string): Promise<TlsMaterial> {
  if (!keyFile) {
    throw new AppError(
      'invalid_params',
      'Give the private key file too (smtp.tlsKeyFile) when you set your own certificate.',
      {
        'smtp.tlsKeyFile': 'is required with smtp.tlsCertFile',
      },
    );
  }
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  } catch (err) {
    throw new AppError(
      'invalid_params',
      `Relaydesk cannot read the certificate files: ${(err as Error).message}.`,
      {
        'smtp.tlsCertFile': 'check that both files exist and are readable by Relaydesk',
      },
    );
  }
  try {
    createPrivateKey(key);
  } catch {
    throw new AppError('invalid_params', `${keyFile} does not hold a PEM private key.`, {
      'smtp.tlsKeyFile': 'must be a PEM private key (-----BEGIN PRIVATE KEY----- …)',
    });
  }
  try {
    return describe(cert, key, 'custom');
  } catch (err) {
    throw new AppError(
      'invalid_params',
      `The certificate in ${certFile} cannot be used with that key (${(err as Error).message}). Use the PEM certificate issued for this key.`,
      { 'smtp.tlsCertFile': 'must be the PEM certificate matching smtp.tlsKeyFile' },
    );
  }
}

/**
 * The self-signed certificate made on first start and kept in `<data-dir>/tls`, so shops that
 * trust it (the downloaded `relaydesk-ca.pem`) keep trusting the relay across restarts.
 * `hostNames` are the names shops connect to (smtp.publicHost, a specific listening address):
 * a client that checks the certificate refuses one that does not name the host it dialled, so
 * a certificate that lacks one of them is issued again (new fingerprint) with all of them.
 */
export async function loadOrCreateGeneratedCertificate(
  tlsDir: string,
  now: number,
  hostNames: string[] = [],
): Promise<TlsMaterial> {
  const certPath = join(tlsDir, GENERATED_CERT);
  const keyPath = join(tlsDir, GENERATED_KEY);
  const machine = hostname();
  const wanted = [...new Set([machine, 'localhost', '127.0.0.1', ...hostNames.filter((n) => n !== '')])];
  if (existsSync(certPath) && existsSync(keyPath)) {
    const cert = await readFile(certPath, 'utf8');
    if (covers(new X509Certificate(cert), wanted)) {
      return describe(cert, await readFile(keyPath, 'utf8'), 'generated');
    }
  }
  const pems = await generate([{ name: 'commonName', value: `Relaydesk on ${machine}` }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 86_400_000),
    notAfterDate: new Date(now + TEN_YEARS_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: wanted.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })),
      },
    ],
  });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert, { mode: 0o600 });
  return describe(pems.cert, pems.private, 'generated');
}
