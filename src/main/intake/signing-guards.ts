import { domainToASCII } from 'node:url';
import { Headers } from '@zone-eu/mailsplit';
import addressparser from 'nodemailer/lib/addressparser';
import type { DkimKeyStore } from '../dkim/key-store';
import type { SigningKey } from '../dkim/signer';
import type { ConnectionRecord } from '../store/connections-repo';
import type { DomainRecord, DomainsRepo } from '../store/domains-repo';
import { type SmtpReply, smtpReply } from './smtp-reply';

export interface SigningSetup {
  domain: DomainRecord;
  keys: SigningKey[];
}

/** The one address of the From: header, or a refusal. */
export function requireSingleFrom(header: Buffer): { domain: string } | { refuse: SmtpReply } {
  const values = new Headers(header).get('from');
  const addresses = values.flatMap((line) => {
    const value = line.slice(line.indexOf(':') + 1).replace(/\r\n/g, '');
    return flatten(addressparser(value));
  });
  if (values.length !== 1 || addresses.length !== 1 || !addresses[0]?.includes('@')) {
    return {
      refuse: smtpReply(
        550,
        '5.7.1',
        'The From: header must name exactly one sender address; correct it and send again',
      ),
    };
  }
  const raw = addresses[0].slice(addresses[0].lastIndexOf('@') + 1).toLowerCase();
  return { domain: domainToASCII(raw) || raw };
}

function flatten(list: ReturnType<typeof addressparser>): string[] {
  return list.flatMap((a) =>
    'group' in a && a.group ? flatten(a.group) : 'address' in a && a.address ? [a.address] : [],
  );
}

/**
 * The checklist for the From: domain (SPEC "The relay"): a sending domain of this connection,
 * with an active DKIM key and a List-Help value. Each miss has its own reply naming the fix.
 */
export async function signingSetupFor(
  domains: DomainsRepo,
  keyStore: DkimKeyStore,
  connection: ConnectionRecord,
  fromDomain: string,
): Promise<{ setup: SigningSetup } | { refuse: SmtpReply }> {
  const domain = domains.findByName(fromDomain);
  if (!domain || !domains.isAllowed(connection.id, domain.id)) {
    return {
      refuse: smtpReply(
        550,
        '5.7.1',
        `"${fromDomain}" is not a sending domain of connection "${connection.name}"; add it under Domains & DKIM in Relaydesk`,
      ),
    };
  }
  return readySetupOf(domains, keyStore, domain);
}

/**
 * A sending domain ready to sign: an active DKIM key and a List-Help value, or the refusal naming
 * what is missing. Also used when a capture that was kept unsigned is released (services/release.ts).
 */
export async function readySetupOf(
  domains: DomainsRepo,
  keyStore: DkimKeyStore,
  domain: DomainRecord,
): Promise<{ setup: SigningSetup } | { refuse: SmtpReply }> {
  const fromDomain = domain.domain;
  const active = domains.keysOf(domain.id).filter((k) => k.state === 'active');
  if (active.length === 0) {
    return {
      refuse: smtpReply(
        550,
        '5.7.1',
        `DKIM must be set up for "${fromDomain}" in Relaydesk (Domains & DKIM) before it can send`,
      ),
    };
  }
  if (!domain.listHelp) {
    return {
      refuse: smtpReply(
        550,
        '5.7.1',
        `A List-Help value must be set up for "${fromDomain}" in Relaydesk (Domains & DKIM) before it can send`,
      ),
    };
  }
  // RSA first: receivers that do not know Ed25519 see the signature they understand on top.
  const ordered = [...active].sort((a, b) =>
    a.algorithm === 'rsa-sha256' ? -1 : b.algorithm === 'rsa-sha256' ? 1 : 0,
  );
  const keys = await Promise.all(
    ordered.map(async (k) => ({
      id: k.id,
      domain: domain.domain,
      selector: k.selector,
      algorithm: k.algorithm,
      privateKey: await keyStore.load(k.id),
    })),
  );
  return { setup: { domain, keys } };
}
