import { randomBytes } from 'node:crypto';

/** `webshop-k3x9q2`: the connection's name, made safe, plus a random tail so names may repeat. */
export function usernameFor(name: string): string {
  const slug =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 24) || 'system';
  const tail = randomBytes(4).readUInt32BE(0).toString(36).padStart(6, '0').slice(-6);
  return `${slug}-${tail}`;
}
