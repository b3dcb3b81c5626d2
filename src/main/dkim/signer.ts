import { createHash, type KeyObject, sign } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * crypto.sign with a callback runs on libuv's thread pool: an RSA-2048 signature (about a
 * millisecond, 8–10 % of the relay's main thread under load) no longer holds the event loop,
 * and a second core does the signing.
 */
const signAsync = promisify(sign) as (
  algorithm: string | null,
  data: Buffer,
  key: KeyObject,
) => Promise<Buffer>;

import type { DkimAlgorithm } from '@shared/domain/sending-domain';
import { Headers } from '@zone-eu/mailsplit';

export interface SigningKey {
  /** The dkim_keys id, recorded with the mail so the key is not deleted while the mail waits. */
  id: string;
  /** d=, in A-label form. */
  domain: string;
  selector: string;
  algorithm: DkimAlgorithm;
  privateKey: KeyObject;
}

/**
 * Signed header fields, in h= order. From is listed once more than it occurs ("oversigned"),
 * so no receiver will accept a second From added after signing.
 */
export const SIGNED_FIELDS = [
  'from',
  'to',
  'cc',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'list-help',
] as const;
const OVERSIGNED = new Set(['from']);

/** RFC 6376 §3.4.2 relaxed header canonicalisation of one field (raw, possibly folded, binary string). */
export function relaxedHeader(raw: string): string {
  const colon = raw.indexOf(':');
  const name = raw.slice(0, colon).trim().toLowerCase();
  const value = raw
    .slice(colon + 1)
    .replace(/\r?\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}\r\n`;
}

/** Picks the instances to sign, bottom-up per name as RFC 6376 §5.4.2 asks, and the h= list. */
function selectFields(headerBlock: Buffer): { names: string[]; canonical: string } {
  const lines = new Headers(headerBlock).getList();
  const names: string[] = [];
  let canonical = '';
  for (const name of SIGNED_FIELDS) {
    const instances = lines.filter((l) => l.key === name).reverse();
    for (const line of instances) {
      names.push(name);
      canonical += relaxedHeader(line.line);
    }
    // An h= entry with no instance left stands for an empty field: nothing is hashed for it.
    if (OVERSIGNED.has(name)) names.push(name);
  }
  return { names, canonical };
}

/** Base64 folded onto continuation lines so no header line exceeds 78 characters. */
function fold(tags: string[]): string {
  const lines: string[] = [];
  let line = 'DKIM-Signature:';
  for (const tag of tags) {
    if (line.length + 1 + tag.length > 76) {
      lines.push(line);
      line = ' ';
    } else {
      line += ' ';
    }
    line += tag;
  }
  lines.push(line);
  return lines.join('\r\n');
}

function foldValue(prefix: string, value: string): string {
  const out: string[] = [];
  let rest = value;
  let first = 72 - prefix.length;
  while (rest.length > 0) {
    const take = Math.max(first, 8);
    out.push(rest.slice(0, take));
    rest = rest.slice(take);
    first = 72;
  }
  return prefix + out.join('\r\n ');
}

/**
 * DKIM-Signature fields (relaxed/relaxed) for a final header block and the body's relaxed
 * SHA-256 hash, one per key, each ending in CRLF: prepend them to the mail as they are.
 */
export async function dkimSignatures(
  headerBlock: Buffer,
  bodyHash: string,
  keys: SigningKey[],
  signTime: number,
): Promise<string> {
  const { names, canonical } = selectFields(headerBlock);
  const t = Math.floor(signTime / 1000);
  let out = '';
  for (const key of keys) {
    const unsigned = fold([
      'v=1;',
      `a=${key.algorithm};`,
      'c=relaxed/relaxed;',
      `d=${key.domain};`,
      `s=${key.selector};`,
      `t=${t};`,
      `h=${names.join(':')};`,
      `bh=${bodyHash};`,
      'b=',
    ]);
    const signedData = Buffer.from(canonical + relaxedHeader(unsigned).replace(/\r\n$/, ''), 'latin1');
    const signature =
      key.algorithm === 'ed25519-sha256'
        ? // RFC 8463: Ed25519 signs the SHA-256 digest of the canonicalised headers.
          await signAsync(null, createHash('sha256').update(signedData).digest(), key.privateKey)
        : await signAsync('sha256', signedData, key.privateKey);
    const lastLine = unsigned.slice(unsigned.lastIndexOf('\r\n') + 2);
    out += `${unsigned.slice(0, unsigned.length - lastLine.length)}${foldValue(lastLine, signature.toString('base64'))}\r\n`;
  }
  return out;
}
