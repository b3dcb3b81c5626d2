import { isIP } from 'node:net';
import type { Resolver } from '../engine/resolver';
import { classifyFailure, type SmtpAnswer } from './reply';
import type { Route } from './routes';
import { type OutboundSession, openSession, type SessionOptions } from './smtp-client';

export type Connected =
  | { session: OutboundSession }
  | { failure: { permanent: boolean; answer: SmtpAnswer }; tried: string };

/** A host's addresses through the injected resolver (IPv4 first), so tests and the app use one DNS. */
async function addressesOf(host: string, resolver: Resolver): Promise<string[]> {
  if (isIP(host)) return [host];
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
  const addresses = [v4, v6].flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  if (addresses.length > 0) return addresses;
  const reason = v4.status === 'rejected' ? (v4.reason as NodeJS.ErrnoException) : undefined;
  throw Object.assign(new Error(`no address for ${host}`), { code: reason?.code ?? 'ENOTFOUND' });
}

/**
 * Opens a session to the first target of the route that will take mail, in MX preference order,
 * each of its addresses in turn. A host that refuses in its greeting or EHLO (5xx), drops the
 * connection or does not answer is skipped for the next one, as Postfix does: one broken MX must
 * not bounce mail another MX would take. Only when every host refused with 5xx is the failure
 * permanent; if any failed temporarily, the mail is tried again later.
 */
export async function connectRoute(
  route: Route,
  resolver: Resolver,
  options: SessionOptions,
): Promise<Connected> {
  const tried: string[] = [];
  let lastTemporary: unknown;
  let lastPermanent: unknown;
  for (const target of route.targets) {
    let addresses: string[];
    try {
      addresses = target.address ? [target.address] : await addressesOf(target.host, resolver);
    } catch (err) {
      tried.push(target.host);
      lastTemporary = err;
      continue;
    }
    for (const address of addresses) {
      tried.push(`${target.host} [${address}]:${target.port}`);
      try {
        return { session: await openSession(target, address, route, options) };
      } catch (err) {
        if (classifyFailure(err).permanent) lastPermanent = err;
        else lastTemporary = err;
      }
    }
  }
  const failure = classifyFailure(lastTemporary ?? lastPermanent);
  return { failure, tried: tried.join(', ') };
}
