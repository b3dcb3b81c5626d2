import { Headers } from '@zone-eu/mailsplit';
import libmime from 'libmime';
import { decode as decodeCharset } from 'libmime/lib/charset';
import { decode as decodeQuotedPrintable } from 'libqp';

/**
 * A synchronous, bounded MIME tree for bounce mail. The listener, the delivery engine and the
 * API all call the analyser in-line, so it cannot wait for a stream; headers, parameters,
 * encoded words and charsets are read by mailsplit and libmime, and this file only cuts the
 * body at the boundaries, leniently, because bounces are often broken.
 */

/** Limits that keep the work bounded whatever arrives. Only the first MAX_INPUT_BYTES are read. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;
const MAX_DEPTH = 8;
const MAX_PARTS = 256;
const MAX_HEADER_BYTES = 256 * 1024;

export interface HeaderField {
  /** Lower-case field name. */
  name: string;
  /** Unfolded value, encoded words decoded. */
  value: string;
}

export interface MimePart {
  headers: HeaderField[];
  /** Lower-case media type, e.g. "text/plain"; "text/plain" when absent or unreadable. */
  contentType: string;
  params: Record<string, string>;
  /** Decoded text of a leaf part (transfer encoding and charset undone). */
  text: string;
  children: MimePart[];
  /** The embedded message of a message/rfc822 (or text/rfc822-headers) part. */
  message: MimePart | null;
}

interface Budget {
  parts: number;
}

export function parseMessage(raw: Buffer | string): MimePart {
  let buf = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  if (buf.length > MAX_INPUT_BYTES) buf = buf.subarray(0, MAX_INPUT_BYTES);
  return parseEntity(buf, 0, { parts: 0 }, 'text/plain');
}

export function header(part: MimePart, name: string): string {
  return part.headers.find((h) => h.name === name)?.value ?? '';
}

export function headers(part: MimePart, name: string): string[] {
  return part.headers.filter((h) => h.name === name).map((h) => h.value);
}

/** Every part of the tree, depth first, embedded messages included. */
export function walk(part: MimePart, visit: (p: MimePart, depth: number) => void, depth = 0): void {
  visit(part, depth);
  for (const c of part.children) walk(c, visit, depth + 1);
  if (part.message) walk(part.message, visit, depth + 1);
}

function parseEntity(buf: Buffer, depth: number, budget: Budget, defaultType: string): MimePart {
  budget.parts++;
  const split = splitHeaderBody(buf);
  const { part, cte } = partOfHead(split.head, defaultType);
  const { contentType: type, params } = part;
  const body = split.body;
  const canDescend = depth < MAX_DEPTH && budget.parts < MAX_PARTS;

  if (type.startsWith('multipart/') && canDescend) {
    const boundary = params.boundary || guessBoundary(body);
    const pieces = boundary ? splitMultipart(body, boundary) : null;
    if (pieces && pieces.parts.length > 0) {
      part.text = decodeText(pieces.preamble, '', params.charset);
      const childDefault = type === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
      for (const p of pieces.parts) {
        if (budget.parts >= MAX_PARTS) break;
        part.children.push(parseEntity(p, depth + 1, budget, childDefault));
      }
      return part;
    }
    // A multipart without usable boundaries is read as plain text: the words are still there.
    part.text = decodeText(body, cte, params.charset);
    return part;
  }

  if (!type.startsWith('multipart/') && !isEmbeddedMessage(type) && canDescend && depth === 0) {
    // A report whose top-level type was mangled (e.g. message/delivery-status over a
    // multipart body) still has its parts: a boundary that opens and closes the body.
    const boundary = guessBoundary(body);
    const pieces = boundary && body.includes(`--${boundary}--`) ? splitMultipart(body, boundary) : null;
    if (pieces && pieces.parts.length > 1) {
      part.contentType = 'multipart/mixed';
      part.text = decodeText(pieces.preamble, '', params.charset);
      for (const p of pieces.parts) {
        if (budget.parts >= MAX_PARTS) break;
        part.children.push(parseEntity(p, depth + 1, budget, 'text/plain'));
      }
      return part;
    }
  }

  if (isEmbeddedMessage(type) && canDescend) {
    const inner = decodeBytes(body, cte);
    part.message = parseEntity(inner, depth + 1, budget, 'text/plain');
    part.text = part.message.text;
    return part;
  }

  part.text = decodeText(body, cte, params.charset);
  return part;
}

/** A part with the fields of this header section (no text or children yet), and its transfer encoding. */
export function partOfHead(head: Buffer, defaultType: string): { part: MimePart; cte: string } {
  const fields = readHeaders(head);
  const ctRaw = fields.find((f) => f.name === 'content-type')?.value ?? '';
  const { type, params } = parseContentType(ctRaw, defaultType);
  const cte = (fields.find((f) => f.name === 'content-transfer-encoding')?.value ?? '').trim().toLowerCase();
  return { part: { headers: fields, contentType: type, params, text: '', children: [], message: null }, cte };
}

export function isEmbeddedMessage(type: string): boolean {
  return (
    type === 'message/rfc822' ||
    type === 'message/global' ||
    type === 'text/rfc822-headers' ||
    type === 'text/rfc822-header' ||
    type === 'message/rfc822-headers' ||
    type === 'message/partial'
  );
}

function splitHeaderBody(buf: Buffer): { head: Buffer; body: Buffer } {
  const limit = Math.min(buf.length, MAX_HEADER_BYTES);
  for (let i = 0; i < limit; i++) {
    if (buf[i] !== 0x0a) continue;
    // A blank line (LF LF or LF CR LF) ends the header block.
    if (buf[i + 1] === 0x0a) return { head: buf.subarray(0, i + 1), body: buf.subarray(i + 2) };
    if (buf[i + 1] === 0x0d && buf[i + 2] === 0x0a) {
      return { head: buf.subarray(0, i + 1), body: buf.subarray(i + 3) };
    }
  }
  if (looksLikeHeaders(buf.subarray(0, limit)))
    return { head: buf.subarray(0, limit), body: buf.subarray(limit) };
  // No header block at all: everything is body text.
  return { head: Buffer.alloc(0), body: buf };
}

function looksLikeHeaders(buf: Buffer): boolean {
  const first = buf.subarray(0, 200).toString('latin1');
  return /^(?:From |[!-9;-~]+:)/.test(first);
}

function readHeaders(head: Buffer): HeaderField[] {
  if (head.length === 0) return [];
  return headerLines(head)
    .filter((l) => l.name !== '')
    .map((l) => ({ name: l.name, value: decodeWords(l.value) }));
}

/**
 * Header-style lines in order, unfolded, blank lines kept as entries with an empty name (a
 * delivery-status body is several such blocks). mailsplit reads the bytes as latin1; they
 * are turned back into UTF-8 here so 8-bit text survives.
 */
export function headerLines(buf: Buffer): HeaderField[] {
  try {
    return new Headers(buf).getList().map((line) => {
      const raw = Buffer.from(line.line, 'latin1').toString('utf8');
      const colon = raw.indexOf(':');
      if (!line.key || colon < 0) return { name: '', value: raw.trim() };
      return {
        name: line.key.trim().toLowerCase(),
        value: raw
          .slice(colon + 1)
          .replace(/\r?\n[ \t]*/g, ' ')
          .trim(),
      };
    });
  } catch {
    return [];
  }
}

export function decodeWords(value: string): string {
  if (!value.includes('=?')) return value;
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

function parseContentType(raw: string, fallback: string): { type: string; params: Record<string, string> } {
  if (!raw) return { type: fallback, params: {} };
  try {
    const parsed = libmime.parseHeaderValue(raw);
    const type = String(parsed.value || '')
      .trim()
      .toLowerCase();
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed.params ?? {})) params[k.toLowerCase()] = String(v);
    return { type: /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type) ? type : fallback, params };
  } catch {
    return { type: fallback, params: {} };
  }
}

/** Some bounces declare a multipart type without a boundary; the first "--token" line is it. */
function guessBoundary(body: Buffer): string {
  const head = body.subarray(0, 64 * 1024).toString('latin1');
  for (const m of head.matchAll(/^--(\S[^\r\n]{0,69}?)\s*$/gm)) {
    const token = (m[1] ?? '').replace(/--$/, '');
    // A line of dashes is a separator, not a boundary.
    if (/[^-]/.test(token)) return token;
  }
  return '';
}

function splitMultipart(body: Buffer, boundary: string): { preamble: Buffer; parts: Buffer[] } {
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const parts: Buffer[] = [];
  let preamble: Buffer = body;
  let start = -1;
  let pos = 0;
  while (pos <= text.length) {
    const at = text.indexOf(delimiter, pos);
    if (at < 0) break;
    // Some gateways indent the delimiter line; a run of blanks before it is tolerated.
    const lineStart = /(?:^|\n)[ \t]*$/.test(text.slice(Math.max(0, at - 8), at));
    const lineEnd = text.indexOf('\n', at);
    const rest = text.slice(at + delimiter.length, lineEnd < 0 ? text.length : lineEnd).trimEnd();
    pos = at + delimiter.length;
    if (!lineStart || (rest !== '' && rest !== '--')) continue;
    const cut = trimLineBreak(text, text.lastIndexOf('\n', at) + 1);
    if (start < 0) preamble = body.subarray(0, cut);
    else parts.push(body.subarray(start, cut));
    if (rest === '--') {
      start = -1;
      break;
    }
    start = lineEnd < 0 ? text.length : lineEnd + 1;
    if (parts.length >= MAX_PARTS) break;
  }
  // A missing closing delimiter still leaves a readable last part.
  if (start >= 0 && start < body.length) parts.push(body.subarray(start));
  return { preamble, parts };
}

function trimLineBreak(text: string, at: number): number {
  let cut = at;
  if (cut > 0 && text[cut - 1] === '\n') cut--;
  if (cut > 0 && text[cut - 1] === '\r') cut--;
  return cut;
}

function decodeBytes(body: Buffer, cte: string): Buffer {
  if (cte === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (cte === 'quoted-printable') return decodeQuotedPrintable(body.toString('latin1'));
  return body;
}

export function decodeText(body: Buffer, cte: string, charset: string | undefined): string {
  const bytes = decodeBytes(body, cte);
  try {
    return decodeCharset(bytes, effectiveCharset(bytes, charset));
  } catch {
    return bytes.toString('latin1');
  }
}

/**
 * Japanese reports often carry ISO-2022-JP text in parts that declare no charset (or ASCII);
 * its escape sequences are unmistakable.
 */
function effectiveCharset(bytes: Buffer, declared: string | undefined): string {
  const plain = !declared || /^(?:us-ascii|ascii|utf-8)$/i.test(declared);
  if (plain && (bytes.includes('\x1b$B') || bytes.includes('\x1b$@'))) return 'iso-2022-jp';
  return declared || 'utf-8';
}
