import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * VERP return paths: `rd-<message id>-<recipient id>-<mac>@<bounce domain>`. The mac (HMAC-SHA256,
 * 80 bits, base 32) proves Relaydesk made the address, so a bounce to it maps back to the exact
 * message and recipient, and forged bounces are refused. Lower case only: some servers fold
 * local parts. Recipient id 0 stands for "a recipient of this message" (several in one transaction).
 */
const PATTERN = /^rd-([0-9a-z]{17})-([0-9a-z]+)-([a-z2-7]{16})$/;

function mac(secret: Buffer, messageId: string, recipientId: number): string {
  const digest = createHmac('sha256', secret).update(`${messageId}.${recipientId}`).digest().subarray(0, 10);
  // base32 (RFC 4648 alphabet, lower case) of 10 bytes = 16 characters
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function verpAddress(secret: Buffer, messageId: string, recipientId: number, domain: string): string {
  return `rd-${messageId}-${recipientId.toString(36)}-${mac(secret, messageId, recipientId)}@${domain}`;
}

/** The message and recipient a VERP address names, or undefined when it is not one Relaydesk made. */
export function parseVerp(
  secret: Buffer,
  address: string,
): { messageId: string; recipientId: number } | undefined {
  const local = address.slice(0, address.lastIndexOf('@')).toLowerCase();
  const m = PATTERN.exec(local);
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  const recipientId = Number.parseInt(m[2], 36);
  const expected = Buffer.from(mac(secret, m[1], recipientId));
  const given = Buffer.from(m[3]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return { messageId: m[1], recipientId };
}

/** The install's VERP secret, made on first start and kept in the data folder (0600). */
export function readOrCreateVerpSecret(file: string): Buffer {
  if (existsSync(file)) {
    const hex = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
  }
  const secret = randomBytes(32);
  writeFileSync(file, `${secret.toString('hex')}\n`, { mode: 0o600 });
  return secret;
}
