import type { HeaderField } from '@shared/domain/message';
import { Headers } from '@zone-eu/mailsplit';
import libmime from 'libmime';

/** Header fields in order, unfolded, with RFC 2047 encoded words decoded for display. */
export function parseHeaderBlock(block: Buffer): HeaderField[] {
  const headers = new Headers(block);
  return headers.getList().map((line) => {
    const raw = line.line.toString();
    const colon = raw.indexOf(':');
    const name = colon >= 0 ? raw.slice(0, colon).trim() : raw.trim();
    const value =
      colon >= 0
        ? raw
            .slice(colon + 1)
            .replace(/\r?\n[ \t]*/g, ' ')
            .trim()
        : '';
    return { name, value: decodeWords(value) };
  });
}

function decodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

export function firstHeader(fields: HeaderField[], name: string): string {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === lower)?.value ?? '';
}
