import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Encrypts secrets (the smarthost password, webhook secrets) before they reach the store, so a
 * copy of `relaydesk.db` alone never shows them. Stored form: `enc:<scheme>:<base64>`.
 * - `local` (headless): AES-256-GCM with a random key in `<data-dir>/secret-key` (0600) beside
 *   the store. It protects against a leaked or backed-up database file, not against someone who
 *   can read the whole data folder as this user — that needs the OS keychain.
 * - `os` (desktop): Electron's `safeStorage` (Keychain, DPAPI, libsecret), given by the desktop
 *   entry; the engine never imports Electron.
 */
export interface SecretBox {
  /** The scheme this box writes; values of other schemes it may not be able to read. */
  readonly scheme: string;
  seal(plain: string): string;
  /** The plain text, or undefined when this box cannot open the value (another scheme, wrong key). */
  open(sealed: string): string | undefined;
}

const PREFIX = 'enc:';

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** `enc:<scheme>:<payload>` → [scheme, payload]. */
export function splitSealed(value: string): [string, string] | undefined {
  const m = /^enc:([a-z0-9-]+):(.*)$/s.exec(value);
  return m?.[1] !== undefined && m[2] !== undefined ? [m[1], m[2]] : undefined;
}

/** Reads the install's secret key, making it (32 random bytes, 0600) on first use. */
export function readOrCreateSecretKey(file: string): Buffer {
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === 32) {
      chmodSync(file, 0o600);
      return key;
    }
    throw new Error(
      `${file} is not a Relaydesk secret key (32 bytes, base64). Restore it from a backup, or move it away and enter the smarthost password again in Settings.`,
    );
  }
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

/** The headless box: AES-256-GCM with the key file's key; a fresh 12-byte nonce per value. */
export function localSecretBox(key: Buffer): SecretBox {
  return {
    scheme: 'local',
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${PREFIX}local:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed) {
      const parts = splitSealed(sealed);
      if (parts?.[0] !== 'local') return undefined;
      const raw = Buffer.from(parts[1], 'base64');
      if (raw.length < 28) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** The operations of Electron's safeStorage the desktop box needs (injected: no Electron import here). */
export interface OsSecretStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * The desktop box: the OS keychain through safeStorage when it is available; otherwise (a Linux
 * session without a keyring) the local key file, like headless. It opens both schemes, so values
 * written headless stay readable on the desktop.
 */
export function desktopSecretBox(storage: OsSecretStorage, local: SecretBox): SecretBox {
  if (!storage.isEncryptionAvailable()) return local;
  return {
    scheme: 'os',
    seal: (plain) => `${PREFIX}os:${storage.encryptString(plain).toString('base64')}`,
    open(sealed) {
      const parts = splitSealed(sealed);
      if (parts?.[0] !== 'os') return local.open(sealed);
      try {
        return storage.decryptString(Buffer.from(parts[1], 'base64'));
      } catch {
        return undefined;
      }
    },
  };
}
