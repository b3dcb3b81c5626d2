export const DKIM_ALGORITHMS = ['rsa-sha256', 'ed25519-sha256'] as const;
export type DkimAlgorithm = (typeof DKIM_ALGORITHMS)[number];

/**
 * `active` keys sign (one per algorithm and domain); a `standby` key waits beside the active
 * one — a new key whose DNS record is being published, or the old key after a switch — until
 * the user switches to it or deletes it.
 */
export type DkimKeyState = 'active' | 'standby';

export interface DnsRecord {
  /** Full name, e.g. `rd2026._domainkey.shop.example`. */
  name: string;
  type: 'TXT' | 'MX';
  value: string;
  /** The value split into ≤255-byte character-strings, as a TXT record needs them. */
  strings: string[];
}

export interface DkimKey {
  id: string;
  domainId: string;
  selector: string;
  algorithm: DkimAlgorithm;
  bits: number;
  state: DkimKeyState;
  source: 'generated' | 'imported';
  createdAt: number;
  dnsRecord: DnsRecord;
}

export type DnsFindingStatus = 'ok' | 'warning' | 'missing' | 'error';

export interface DnsFinding {
  check: 'dkim' | 'spf' | 'dmarc' | 'mx';
  status: DnsFindingStatus;
  /** Plain language: what was found and what to do. */
  message: string;
  /** The record to publish (or the one found), where there is one. */
  record?: DnsRecord;
  keyId?: string;
}

export interface DnsCheckResult {
  checkedAt: number;
  findings: DnsFinding[];
}

/** A domain shops may send from: its List-Help value, DKIM keys and the connections allowed to use it. */
export interface SendingDomain {
  id: string;
  /** A-label (xn--…) form, as DNS and DKIM use it. */
  domain: string;
  /** Unicode form for display. */
  displayName: string;
  /** `https://…` or `mailto:…`; sent as `List-Help: <value>`. Empty until set: the domain cannot send then. */
  listHelp: string;
  connectionIds: string[];
  keys: DkimKey[];
  createdAt: number;
  lastDnsCheck: DnsCheckResult | null;
  /** What still stops this domain from sending, in plain words; empty when it can send. */
  problems: string[];
}

/** `https://…` with a host, or `mailto:` with an address: the two forms List-Help allows here. Empty means "not set yet". */
export function listHelpProblem(value: string): string | undefined {
  const v = value.trim();
  if (v.length === 0) return undefined;
  if (v.length > 500) return 'must be at most 500 characters';
  if (/^mailto:/i.test(v)) {
    const address = decodeURIComponent(v.slice(7).split('?')[0] ?? '');
    return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address)
      ? undefined
      : 'mailto: must be followed by an e-mail address';
  }
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return 'must be an https:// address or a mailto: address';
  }
  if (url.protocol !== 'https:') return 'must start with https:// (or be a mailto: address)';
  if (!url.hostname.includes('.'))
    return 'the address needs a full host name, e.g. https://shop.example/mail-help';
  if (/[\s<>"]/.test(v)) return 'must not contain spaces, quotes or angle brackets';
  return undefined;
}

/** A DKIM selector: DNS labels of letters, digits and hyphens. */
export function selectorProblem(selector: string): string | undefined {
  if (
    !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(
      selector,
    )
  ) {
    return 'use letters, digits and hyphens (dots between labels), e.g. "rd2026"';
  }
  return undefined;
}
