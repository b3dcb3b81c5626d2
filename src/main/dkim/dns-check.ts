import type { DkimKey, DnsCheckResult, DnsFinding, DnsRecord } from '@shared/domain/sending-domain';
import type { Resolver } from '../engine/resolver';
import { splitTxt } from './keys';

const NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA', 'ENOENT', 'NXDOMAIN']);

type Lookup<T> = { found: T } | { missing: true } | { failed: string };

async function lookup<T>(run: () => Promise<T>): Promise<Lookup<T>> {
  try {
    return { found: await run() };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return NOT_FOUND.has(code) ? { missing: true } : { failed: code };
  }
}

const txt = (name: string, value: string): DnsRecord => ({
  name,
  type: 'TXT',
  value,
  strings: splitTxt(value),
});

const failed = (check: DnsFinding['check'], name: string, code: string): DnsFinding => ({
  check,
  status: 'error',
  message: `The DNS lookup of ${name} failed (${code}). Check this machine's network and DNS, then check again.`,
});

function tags(record: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of record.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).replace(/\s+/g, ''));
  }
  return out;
}

async function checkDkim(resolver: Resolver, key: DkimKey): Promise<DnsFinding> {
  const { name, value } = key.dnsRecord;
  const wanted = txt(name, value);
  const standby = key.state === 'standby' ? ' before you switch to this key' : '';
  const result = await lookup(() => resolver.resolveTxt(name));
  if ('failed' in result) return failed('dkim', name, result.failed);
  const records = 'found' in result ? result.found.map((parts) => parts.join('')) : [];
  const dkim = records.find((r) => /(^|;)\s*p\s*=/.test(r));
  if (!dkim) {
    return {
      check: 'dkim',
      status: 'missing',
      keyId: key.id,
      message: `No DKIM record at ${name} yet. Publish this TXT record at your DNS provider${standby}; receivers cannot check the signature without it.`,
      record: wanted,
    };
  }
  const found = tags(dkim);
  const p = found.get('p') ?? '';
  if (p === '') {
    return {
      check: 'dkim',
      status: 'error',
      keyId: key.id,
      message: `The DKIM record at ${name} is revoked (empty p=). Publish the record below instead.`,
      record: wanted,
    };
  }
  if (p !== key.dnsRecord.value.split('p=')[1]) {
    return {
      check: 'dkim',
      status: 'error',
      keyId: key.id,
      message: `A DKIM record is published at ${name}, but it holds a different public key, so signatures will fail. Replace its value with the one below.`,
      record: wanted,
    };
  }
  return {
    check: 'dkim',
    status: 'ok',
    keyId: key.id,
    message: `The DKIM record at ${name} is published and matches this key.`,
    record: txt(name, dkim),
  };
}

async function checkSpf(resolver: Resolver, domain: string): Promise<DnsFinding> {
  const result = await lookup(() => resolver.resolveTxt(domain));
  if ('failed' in result) return failed('spf', domain, result.failed);
  const spf = ('found' in result ? result.found.map((p) => p.join('')) : []).filter((r) =>
    /^v=spf1(\s|$)/i.test(r),
  );
  const suggestion = txt(domain, 'v=spf1 ip4:YOUR.PUBLIC.IP.ADDRESS ~all');
  if (spf.length === 0) {
    return {
      check: 'spf',
      status: 'missing',
      message: `${domain} has no SPF record. Publish one that names the public IP address this relay sends from (replace the placeholder below), so receivers know the mail is yours.`,
      record: suggestion,
    };
  }
  if (spf.length > 1) {
    return {
      check: 'spf',
      status: 'error',
      message: `${domain} has ${spf.length} SPF records; receivers treat that as an error (permerror). Merge them into one record.`,
    };
  }
  const record = spf[0] ?? '';
  const terms = record.split(/\s+/).slice(1);
  const authorises = terms.filter((t) => !/^[-~?+]?all$/i.test(t) && !/^(redirect|exp)=/i.test(t));
  const all = terms.find((t) => /^[-~?+]?all$/i.test(t)) ?? '';
  const rest: Record<string, string> = {
    '-all': 'everything else fails',
    '~all': 'everything else soft-fails',
    '?all': 'everything else is neutral',
    '+all': 'everything else passes',
    all: 'everything else passes',
  };
  const base = `SPF authorises ${authorises.length ? authorises.join(', ') : 'no servers'}; ${rest[all.toLowerCase()] ?? 'no default is set'}.`;
  if (/^\+?all$/i.test(all)) {
    return {
      check: 'spf',
      status: 'warning',
      message: `${base} "+all" lets any server on the internet send as ${domain}: use ~all or -all.`,
      record: txt(domain, record),
    };
  }
  return {
    check: 'spf',
    status: 'ok',
    message: `${base} Make sure the public IP address of this relay is among them.`,
    record: txt(domain, record),
  };
}

async function checkDmarc(resolver: Resolver, domain: string): Promise<DnsFinding> {
  const name = `_dmarc.${domain}`;
  const result = await lookup(() => resolver.resolveTxt(name));
  if ('failed' in result) return failed('dmarc', name, result.failed);
  const record = ('found' in result ? result.found.map((p) => p.join('')) : []).find((r) =>
    /^v=DMARC1/i.test(r),
  );
  if (!record) {
    return {
      check: 'dmarc',
      status: 'missing',
      message: `${domain} has no DMARC record. Start with the monitoring policy below; large mailbox providers expect one from bulk and transactional senders.`,
      record: txt(name, `v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}`),
    };
  }
  const policy = (tags(record).get('p') ?? '').toLowerCase();
  const meaning: Record<string, string> = {
    reject: 'receivers refuse mail that fails DKIM and SPF alignment',
    quarantine: 'receivers put mail that fails DKIM and SPF alignment in spam',
    none: 'monitoring only: failing mail is still delivered; tighten it once reports show all mail passes',
  };
  return {
    check: 'dmarc',
    status: policy === 'none' ? 'warning' : meaning[policy] ? 'ok' : 'error',
    message: meaning[policy]
      ? `DMARC policy "${policy}": ${meaning[policy]}.`
      : `The DMARC record has no valid policy (p=${policy || 'missing'}); set p=none, quarantine or reject.`,
    record: txt(name, record),
  };
}

async function checkBounceMx(resolver: Resolver, bounceDomain: string): Promise<DnsFinding> {
  if (!bounceDomain) {
    return {
      check: 'mx',
      status: 'warning',
      message:
        'No bounce domain is set (Settings, bounces.domain). Set one whose MX points at this machine, so bounces find their way back to Relaydesk.',
    };
  }
  const result = await lookup(() => resolver.resolveMx(bounceDomain));
  if ('failed' in result) return failed('mx', bounceDomain, result.failed);
  const mx = 'found' in result ? [...result.found].sort((a, b) => a.priority - b.priority) : [];
  const wanted: DnsRecord = {
    name: bounceDomain,
    type: 'MX',
    value: '10 <this machine’s public host name>',
    strings: [],
  };
  if (mx.length === 0) {
    return {
      check: 'mx',
      status: 'missing',
      message: `The bounce domain ${bounceDomain} has no MX record. Publish one pointing at this machine so bounce reports reach Relaydesk.`,
      record: wanted,
    };
  }
  if (mx.length === 1 && (mx[0]?.exchange === '' || mx[0]?.exchange === '.')) {
    return {
      check: 'mx',
      status: 'error',
      message: `The bounce domain ${bounceDomain} has a null MX: it accepts no mail, so no bounce can come back. Replace it with an MX pointing at this machine.`,
      record: wanted,
    };
  }
  const list = mx.map((m) => `${m.exchange} (preference ${m.priority})`).join(', ');
  return {
    check: 'mx',
    status: 'ok',
    message: `Bounces for ${bounceDomain} go to ${list}. Make sure that is this machine.`,
    record: {
      name: bounceDomain,
      type: 'MX',
      value: mx.map((m) => `${m.priority} ${m.exchange}`).join(', '),
      strings: [],
    },
  };
}

/** DKIM (every key), SPF, DMARC and the bounce domain's MX, each as a finding in plain words. */
export async function checkDomainDns(
  resolver: Resolver,
  domain: string,
  keys: DkimKey[],
  bounceDomain: string,
  now: number,
): Promise<DnsCheckResult> {
  const findings = await Promise.all([
    ...keys.map((k) => checkDkim(resolver, k)),
    checkSpf(resolver, domain),
    checkDmarc(resolver, domain),
    checkBounceMx(resolver, bounceDomain),
  ]);
  return { checkedAt: now, findings };
}
