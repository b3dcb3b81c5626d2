import { createHmac, randomBytes } from 'node:crypto';
import type { ConnectionRecord, ConnectionsRepo } from '../store/connections-repo';
import { decoyHash, verifyPassword } from './password';

/** Logins remembered as verified; the oldest goes first beyond this. */
const MAX_REMEMBERED = 1_000;

/**
 * Verified logins of this process: a keyed hash (HMAC-SHA256 under a random key made at start,
 * never stored) of username and password → the password hash they were verified against. A
 * login that matches skips scrypt as long as the stored hash is still that one (a rotated
 * password or a new connection changes it). Only successes are remembered: wrong passwords are
 * always checked, and counted by the lockout. At rest, passwords stay scrypt hashes.
 */
export class LoginCache {
  private readonly key = randomBytes(32);
  private readonly verified = new Map<string, string>();

  private keyOf(username: string, password: string): string {
    return createHmac('sha256', this.key).update(username).update('\0').update(password).digest('base64');
  }

  matches(username: string, password: string, passwordHash: string): boolean {
    return this.verified.get(this.keyOf(username, password)) === passwordHash;
  }

  remember(username: string, password: string, passwordHash: string): void {
    const key = this.keyOf(username, password);
    this.verified.delete(key);
    this.verified.set(key, passwordHash);
    if (this.verified.size > MAX_REMEMBERED) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
  }
}

/**
 * The connection these SMTP credentials belong to, or undefined. Unknown users cost as much as
 * wrong passwords; a login this process verified before costs a keyed hash (`cache`), since a
 * shop that opens a connection per mail logs in once per mail (scrypt costs tens of ms each).
 */
export async function authenticate(
  repo: Pick<ConnectionsRepo, 'findByUsername'>,
  username: string,
  password: string,
  cache?: LoginCache,
  verify: (password: string, hash: string) => Promise<boolean> = verifyPassword,
): Promise<ConnectionRecord | undefined> {
  const connection = repo.findByUsername(username);
  if (!connection) {
    await verify(password, await decoyHash());
    return undefined;
  }
  if (cache?.matches(username, password, connection.passwordHash)) return connection;
  if (!(await verify(password, connection.passwordHash))) return undefined;
  cache?.remember(username, password, connection.passwordHash);
  return connection;
}
