import type { DkimKey } from '@shared/domain/sending-domain';
import { describe, expect, it } from 'vitest';
import { checkDomainDns } from '../../src/main/dkim/dns-check';
import { dnsRecordFor } from '../../src/main/dkim/keys';
import type { Resolver } from '../../src/main/engine/resolver';

const P = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtest';
const record = dnsRecordFor('shop.example', 'rd1', 'rsa-sha256', P);
const key: DkimKey = {
  id: 'k1',
  domainId: 'd1',
  selector: 'rd1',
  algorithm: 'rsa-sha256',
  bits: 2048,
  state: 'active',
  source: 'generated',
  createdAt: 0,
  dnsRecord: { name: record.name, type: 'TXT', value: record.value, strings: record.strings },
};

const notFound = () => Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));

/** A fake DNS: TXT and MX answers by name; anything else does not exist. */
function fakeResolver(
  txt: Record<string, string[][]>,
  mx: Record<string, { exchange: string; priority: number }[]> = {},
): Resolver {
  return {
    resolveTxt: (name) => (txt[name] ? Promise.resolve(txt[name]) : notFound()),
    resolveMx: (name) => (mx[name] ? Promise.resolve(mx[name]) : notFound()),
    resolve4: notFound,
    resolve6: notFound,
  };
}

const find = (r: Awaited<ReturnType<typeof checkDomainDns>>, check: string) =>
  r.findings.find((f) => f.check === check);

describe('DNS checks of a sending domain', () => {
  it('find everything in order: DKIM matches, SPF, DMARC reject, bounce MX', async () => {
    const r = await checkDomainDns(
      fakeResolver(
        {
          'rd1._domainkey.shop.example': [record.strings],
          'shop.example': [
            ['v=spf1 ip4:203.0.113.7 include:_spf.example.net -all'],
            ['google-site-verification=x'],
          ],
          '_dmarc.shop.example': [['v=DMARC1; p=reject; rua=mailto:d@shop.example']],
        },
        { 'bounce.shop.example': [{ exchange: 'relay.shop.example', priority: 10 }] },
      ),
      'shop.example',
      [key],
      'bounce.shop.example',
      1000,
    );
    expect(r.checkedAt).toBe(1000);
    expect(r.findings.map((f) => [f.check, f.status])).toEqual([
      ['dkim', 'ok'],
      ['spf', 'ok'],
      ['dmarc', 'ok'],
      ['mx', 'ok'],
    ]);
    expect(find(r, 'spf')?.message).toMatch(
      /authorises ip4:203\.0\.113\.7, include:_spf\.example\.net; everything else fails/,
    );
    expect(find(r, 'dmarc')?.message).toMatch(/"reject": receivers refuse/);
    expect(find(r, 'mx')?.message).toMatch(/relay\.shop\.example \(preference 10\)/);
  });

  it('say what to publish when nothing is there yet', async () => {
    const r = await checkDomainDns(fakeResolver({}), 'shop.example', [key], 'bounce.shop.example', 0);
    expect(r.findings.map((f) => [f.check, f.status])).toEqual([
      ['dkim', 'missing'],
      ['spf', 'missing'],
      ['dmarc', 'missing'],
      ['mx', 'missing'],
    ]);
    expect(find(r, 'dkim')?.record).toMatchObject({
      name: 'rd1._domainkey.shop.example',
      type: 'TXT',
      value: record.value,
    });
    expect(find(r, 'dkim')?.message).toMatch(
      /No DKIM record at rd1\._domainkey\.shop\.example yet\. Publish this TXT record/,
    );
    expect(find(r, 'dmarc')?.record?.value).toBe('v=DMARC1; p=none; rua=mailto:dmarc-reports@shop.example');
    expect(find(r, 'spf')?.record?.value).toMatch(/^v=spf1 /);
  });

  it('spot a DKIM record with another key, a revoked one, two SPF records, +all and a monitoring-only DMARC', async () => {
    const other = await checkDomainDns(
      fakeResolver({
        'rd1._domainkey.shop.example': [['v=DKIM1; k=rsa; p=SOMETHINGELSE']],
        'shop.example': [['v=spf1 -all'], ['v=spf1 a ~all']],
        '_dmarc.shop.example': [['v=DMARC1; p=none']],
      }),
      'shop.example',
      [key],
      '',
      0,
    );
    expect(find(other, 'dkim')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/different public key/),
    });
    expect(find(other, 'spf')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/2 SPF records/),
    });
    expect(find(other, 'dmarc')).toMatchObject({
      status: 'warning',
      message: expect.stringMatching(/monitoring only/),
    });
    expect(find(other, 'mx')).toMatchObject({
      status: 'warning',
      message: expect.stringMatching(/No bounce domain is set/),
    });

    const revoked = await checkDomainDns(
      fakeResolver({ 'rd1._domainkey.shop.example': [['v=DKIM1; p=']], 'shop.example': [['v=spf1 +all']] }),
      'shop.example',
      [key],
      '',
      0,
    );
    expect(find(revoked, 'dkim')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/revoked/),
    });
    expect(find(revoked, 'spf')).toMatchObject({
      status: 'warning',
      message: expect.stringMatching(/"\+all" lets any server/),
    });
  });

  it('report a null MX and a failed lookup as errors with what to do', async () => {
    const resolver = fakeResolver({}, { 'bounce.shop.example': [{ exchange: '', priority: 0 }] });
    resolver.resolveTxt = () => Promise.reject(Object.assign(new Error('timeout'), { code: 'ETIMEOUT' }));
    const r = await checkDomainDns(resolver, 'shop.example', [key], 'bounce.shop.example', 0);
    expect(find(r, 'mx')).toMatchObject({ status: 'error', message: expect.stringMatching(/null MX/) });
    expect(find(r, 'dkim')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/lookup of .* failed \(ETIMEOUT\).*check again/),
    });
  });
});
