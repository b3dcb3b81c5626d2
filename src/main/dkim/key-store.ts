import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * DKIM private keys as 0600 files in a 0700 folder of the data dir. They are read here, in
 * the main process, and never cross the contract: the API only ever returns public keys.
 */
export class DkimKeyStore {
  private readonly cache = new Map<string, KeyObject>();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private pathOf(keyId: string): string {
    if (!/^[a-z0-9]+$/.test(keyId)) throw new Error(`not a key id: ${keyId}`);
    return join(this.dir, `${keyId}.pem`);
  }

  async save(keyId: string, privateKeyPem: string): Promise<void> {
    await writeFile(this.pathOf(keyId), privateKeyPem, { mode: 0o600, flag: 'wx' });
  }

  async load(keyId: string): Promise<KeyObject> {
    const cached = this.cache.get(keyId);
    if (cached) return cached;
    const key = createPrivateKey(await readFile(this.pathOf(keyId), 'utf8'));
    this.cache.set(keyId, key);
    return key;
  }

  async remove(keyId: string): Promise<void> {
    this.cache.delete(keyId);
    await rm(this.pathOf(keyId), { force: true });
  }
}
