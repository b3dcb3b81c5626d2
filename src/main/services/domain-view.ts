import { domainToUnicode } from 'node:url';
import type { DkimKey, SendingDomain } from '@shared/domain/sending-domain';
import { dnsRecordFor } from '../dkim/keys';
import type { EngineContext } from '../engine/context';
import type { KeyRecord } from '../store/domains-repo';

export function keyView(domain: string, k: KeyRecord): DkimKey {
  const record = dnsRecordFor(domain, k.selector, k.algorithm, k.publicKey);
  return {
    id: k.id,
    domainId: k.domainId,
    selector: k.selector,
    algorithm: k.algorithm,
    bits: k.bits,
    state: k.state,
    source: k.source,
    createdAt: k.createdAt,
    dnsRecord: { name: record.name, type: 'TXT', value: record.value, strings: record.strings },
  };
}

/** A sending domain as the contract shows it: keys with their DNS records, connections, what blocks sending. */
export function domainView(ctx: Pick<EngineContext, 'store'>, domainId: string): SendingDomain | undefined {
  const d = ctx.store.domains.get(domainId);
  if (!d) return undefined;
  const keys = ctx.store.domains.keysOf(d.id).map((k) => keyView(d.domain, k));
  const connectionIds = ctx.store.domains.connectionIdsOf(d.id);
  const problems: string[] = [];
  if (!keys.some((k) => k.state === 'active')) {
    problems.push(
      'No active DKIM key: generate or import one, or switch to a standby key. Mail from this domain is refused until then.',
    );
  }
  if (!d.listHelp)
    problems.push(
      'No List-Help value: enter the https:// or mailto: address that explains why recipients get these mails.',
    );
  if (connectionIds.length === 0)
    problems.push('No connection may send from this domain yet: allow one under Connections or here.');
  return {
    id: d.id,
    domain: d.domain,
    displayName: domainToUnicode(d.domain) || d.domain,
    listHelp: d.listHelp,
    connectionIds,
    keys,
    createdAt: d.createdAt,
    lastDnsCheck: d.lastDnsCheck,
    problems,
  };
}
