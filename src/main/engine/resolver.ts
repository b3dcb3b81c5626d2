import { promises as dns } from 'node:dns';

/** Injected DNS: the app uses the system's; tests use a fake with fixed answers. */
export interface Resolver {
  resolveMx(domain: string): Promise<{ exchange: string; priority: number }[]>;
  resolveTxt(name: string): Promise<string[][]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
}

export const systemResolver: Resolver = {
  resolveMx: (d) => dns.resolveMx(d),
  resolveTxt: (n) => dns.resolveTxt(n),
  resolve4: (n) => dns.resolve4(n),
  resolve6: (n) => dns.resolve6(n),
};
