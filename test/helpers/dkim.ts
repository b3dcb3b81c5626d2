import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SendingDomain } from '@shared/domain/sending-domain';
import { dkimVerify } from 'mailauth/lib/dkim/verify';

/** Debian's python3, which has python3-dkim (a pyenv python on PATH may not). */
export const SYSTEM_PYTHON = process.env.SYSTEM_PYTHON ?? '/usr/bin/python3';
const VERIFIER = resolve(__dirname, 'dkim_verify.py');

/** TXT name → value for every key of the given domains: the fake DNS both verifiers read. */
export function dnsRecordsOf(domains: SendingDomain[]): Record<string, string> {
  const records: Record<string, string> = {};
  for (const d of domains) for (const k of d.keys) records[k.dnsRecord.name] = k.dnsRecord.value;
  return records;
}

export interface SignatureCheck {
  d: string;
  s: string;
  a: string;
  ok: boolean;
}

/** Verifies every DKIM-Signature of the message with dkimpy (python3-dkim). */
export function verifyWithDkimpy(
  messageFile: string,
  records: Record<string, string>,
  workDir: string,
): Promise<SignatureCheck[]> {
  const dnsFile = join(workDir, `dns-${process.pid}-${Date.now()}.json`);
  writeFileSync(dnsFile, JSON.stringify(records));
  return new Promise((res, rej) => {
    execFile(
      SYSTEM_PYTHON,
      [VERIFIER, messageFile, dnsFile],
      { timeout: 120_000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) return rej(new Error(`dkim_verify.py failed: ${stderr || err.message}`));
        res(JSON.parse(stdout) as SignatureCheck[]);
      },
    );
  });
}

/** Verifies every DKIM-Signature of the message with mailauth, a second, independent verifier. */
export async function verifyWithMailauth(
  messageFile: string,
  records: Record<string, string>,
): Promise<SignatureCheck[]> {
  const result = await dkimVerify(readFileSync(messageFile), {
    resolver: async (name: string, type: string) => {
      const value = type === 'TXT' ? records[name.replace(/\.$/, '')] : undefined;
      if (value === undefined)
        throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
      return [[value]];
    },
  });
  return result.results.map((r) => ({
    d: r.signingDomain,
    s: r.selector ?? '',
    a: r.algorithm ?? '',
    ok: r.status.result === 'pass',
  }));
}
