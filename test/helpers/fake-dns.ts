import type { Resolver } from '../../src/main/engine/resolver';

const fail = (code: string) => Promise.reject(Object.assign(new Error(code), { code }));

/**
 * The internet's DNS as a test sets it: MX, A, AAAA and TXT answers by name. Names it does not
 * know answer NXDOMAIN (ENOTFOUND); a name listed under `noData` exists without that record.
 */
export class FakeDns implements Resolver {
  mx = new Map<string, { exchange: string; priority: number }[]>();
  a = new Map<string, string[]>();
  aaaa = new Map<string, string[]>();
  txt = new Map<string, string[][]>();
  /** Names that exist (so a missing record type is ENODATA, not ENOTFOUND). */
  names = new Set<string>();
  /** Names whose lookups time out (ETIMEOUT). */
  broken = new Set<string>();

  private answer<T>(map: Map<string, T>, name: string): Promise<T> {
    if (this.broken.has(name)) return fail('ETIMEOUT');
    const value = map.get(name);
    if (value !== undefined) return Promise.resolve(value);
    const exists = this.names.has(name) || [this.mx, this.a, this.aaaa, this.txt].some((m) => m.has(name));
    return fail(exists ? 'ENODATA' : 'ENOTFOUND');
  }

  resolveMx = (name: string) => this.answer(this.mx, name);
  resolve4 = (name: string) => this.answer(this.a, name);
  resolve6 = (name: string) => this.answer(this.aaaa, name);
  resolveTxt = (name: string) => this.answer(this.txt, name);
}
