import { isIPv4, isIPv6 } from 'node:net';
import { normaliseHostName } from '@shared/domain/host-names';

/**
 * The name part of a Host header: `name`, `name:port`, `1.2.3.4:port` or `[v6]:port`.
 * undefined when the header is not of that shape.
 */
export function hostOfHeader(header: string | undefined): { name: string; ip: boolean } | undefined {
  if (!header) return undefined;
  const v6 = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(header);
  if (v6?.[1]) return isIPv6(v6[1]) ? { name: v6[1].toLowerCase(), ip: true } : undefined;
  const m = /^([^:[\]]+)(?::(\d{1,5}))?$/.exec(header);
  if (!m?.[1]) return undefined;
  if (isIPv4(m[1])) return { name: m[1], ip: true };
  const name = normaliseHostName(m[1]);
  return name ? { name, ip: false } : undefined;
}

/**
 * Whether the console answers a request that names this Host. A DNS rebinding attack reaches the
 * console through a name the attacker controls that resolves to this machine, and the browser
 * sends that name; it can never send an IP address or localhost as the Host of its own page. So
 * IP literals, localhost (and *.localhost, which browsers resolve to loopback themselves), the
 * address the console listens on and the names the operator listed are allowed; nothing else.
 */
export function hostAllowed(
  header: string | undefined,
  listenHost: string,
  allowedNames: readonly string[],
): boolean {
  const host = hostOfHeader(header);
  if (!host) return false;
  if (host.ip) return true;
  if (host.name === 'localhost' || host.name.endsWith('.localhost')) return true;
  if (host.name === normaliseHostName(listenHost)) return true;
  return allowedNames.includes(host.name);
}
