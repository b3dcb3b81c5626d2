import { hostname } from 'node:os';

const ALL_ADDRESSES = new Set(['0.0.0.0', '::', '']);

/**
 * The host name shops use to reach the relay: smtp.publicHost when set, else the listening
 * address, or this machine's name when the relay listens on all addresses.
 */
export function publicHostOf(configured: string, listening: string): string {
  return configured || (ALL_ADDRESSES.has(listening) ? hostname() : listening);
}

/** Where this machine reaches one of its own listeners: loopback when it listens on all addresses. */
export function ownAddressOf(listening: string): string {
  return ALL_ADDRESSES.has(listening) ? '127.0.0.1' : listening;
}

/** Names the generated certificate must carry so a shop that checks it accepts it. */
export function certificateHostNames(configured: string, listening: string): string[] {
  return [publicHostOf(configured, listening), ...(ALL_ADDRESSES.has(listening) ? [] : [listening])];
}
