import type { ParamsOf } from '@shared/api/schemas';
import type { Connection, SmtpAccess } from '@shared/domain/connection';
import type { SendingDomain } from '@shared/domain/sending-domain';

/** Any transport's call(): the in-process dispatcher or HTTP to a headless child. */
export type LooseCall = (method: string, params: unknown) => Promise<unknown>;

export interface Sender {
  connection: Connection;
  access: SmtpAccess;
  domain: SendingDomain;
}

/**
 * A connection allowed to send from `domain`. The sending domain is created on first use with
 * an RSA key and a List-Help value, so mail from any address @domain passes the intake checks.
 * A sandbox sender checks and signs as a live one does (acceptsAnySender off) unless the params
 * say otherwise.
 */
export async function createSender(
  call: LooseCall,
  params: ParamsOf<'connections.create'> = { name: 'Webshop' },
  domain = 'example.com',
): Promise<Sender> {
  const domains = (await call('domains.list', {})) as SendingDomain[];
  const existing = domains.find((d) => d.domain === domain);
  const sending =
    existing ??
    ((await call('domains.create', {
      domain,
      listHelp: `https://${domain}/why-you-get-this-mail`,
    })) as SendingDomain);
  // Names are unique without case: a test's second "Shop" on one relay becomes "Shop 2".
  const taken = new Set(
    ((await call('connections.list', {})) as Connection[]).map((c) => c.name.toLowerCase()),
  );
  let name = params.name;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${params.name} ${n}`;
  const created = (await call('connections.create', {
    ...(params.mode === 'sandbox' ? { acceptsAnySender: false } : {}),
    ...params,
    name,
    domainIds: [...(params.domainIds ?? []), sending.id],
  })) as { connection: Connection; access: SmtpAccess };
  return { ...created, domain: sending };
}
