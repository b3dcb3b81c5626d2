/** E-mail addresses as they appear in reports: bare, in <>, with rfc822; prefixes, quoted. */

const ADDRESS = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z0-9-]{2,63}/;
const ADDRESS_G = new RegExp(ADDRESS.source, 'g');

/** Addresses that stand for the reporting system, never for a failed recipient. */
const SYSTEM_LOCAL_PARTS = /^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon)$/i;

export function isAddress(s: string): boolean {
  return new RegExp(`^${ADDRESS.source}$`).test(s);
}

/** The first address in a field value like "rfc822; <a@b>" or "Name <a@b>"; '' if none. */
export function firstAddress(value: string): string {
  const m = ADDRESS.exec(value.slice(0, 2000));
  return m ? cleanAddress(m[0]) : '';
}

export function allAddresses(text: string): string[] {
  return [...text.slice(0, 20000).matchAll(ADDRESS_G)].map((m) => cleanAddress(m[0]));
}

export function cleanAddress(a: string): string {
  // "/home/user/.forward/user@example.org" in a log line: the address is the last path segment.
  const slash = a.lastIndexOf('/', a.indexOf('@'));
  return a
    .slice(slash + 1)
    .replace(/^[.'"]+|[.'"]+$/g, '')
    .toLowerCase();
}

export function isSystemAddress(a: string): boolean {
  return SYSTEM_LOCAL_PARTS.test(a.split('@')[0] ?? '');
}

/** A DSN address field: "rfc822; user@example.org" → its address (or the raw value, e.g. a pipe). */
export function dsnAddress(value: string): string {
  const raw = value.replace(/^[^;]*;\s*/, '').trim();
  return firstAddress(raw) || raw.replace(/^<|>$/g, '');
}
