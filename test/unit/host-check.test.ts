import { parseHostNames } from '@shared/domain/host-names';
import { describe, expect, it } from 'vitest';
import { hostAllowed } from '../../src/main/transport/host-check';

describe('the console Host check', () => {
  const allowed = (host: string | undefined, listen = '127.0.0.1', names: string[] = []) =>
    hostAllowed(host, listen, names);

  it('allows localhost, *.localhost and every IP literal, with or without a port', () => {
    for (const host of [
      'localhost',
      'LOCALHOST:2580',
      'localhost.',
      'console.localhost:80',
      '127.0.0.1',
      '127.0.0.1:2580',
      '10.1.2.3:8080',
      '[::1]',
      '[::1]:2580',
      '[fe80::1]:1',
      '[::ffff:127.0.0.1]:2580',
    ]) {
      expect(allowed(host), host).toBe(true);
    }
  });

  it('refuses other names, malformed headers and a missing Host', () => {
    for (const host of [
      undefined,
      '',
      'evil.example',
      'evil.example:2580',
      'localhost.evil.example',
      'evillocalhost',
      '127.0.0.1.evil.example',
      '::1',
      '[::1',
      '[not-v6]:80',
      'a b',
      'host:port',
      'host:99999999',
      'user@127.0.0.1',
      '127.0.0.1:80:80',
    ]) {
      expect(allowed(host), String(host)).toBe(false);
    }
  });

  it('allows the name the console listens on and the names of console.allowedHosts, in any case', () => {
    expect(allowed('relay.lan:2580', 'relay.lan')).toBe(true);
    expect(allowed('Relay.LAN', 'relay.lan')).toBe(true);
    const names = parseHostNames(' relay.example.com, Proxy.Example.org ,') ?? [];
    expect(names).toEqual(['relay.example.com', 'proxy.example.org']);
    expect(allowed('proxy.example.org', '127.0.0.1', names)).toBe(true);
    expect(allowed('RELAY.example.com:443', '127.0.0.1', names)).toBe(true);
    expect(allowed('other.example.com', '127.0.0.1', names)).toBe(false);
  });

  it('reads console.allowedHosts as plain host names only', () => {
    expect(parseHostNames('')).toEqual([]);
    for (const bad of ['http://relay.lan', 'relay.lan:8080', 'relay lan', 'relay.lan/path', '-bad.example'])
      expect(parseHostNames(bad), bad).toBeUndefined();
  });
});
