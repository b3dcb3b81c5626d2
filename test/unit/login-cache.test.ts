import { describe, expect, it } from 'vitest';
import { authenticate, LoginCache } from '../../src/main/credentials/authenticate';
import { hashPassword, verifyPassword } from '../../src/main/credentials/password';
import type { ConnectionRecord } from '../../src/main/store/connections-repo';

async function setup() {
  const record = {
    id: 'c1',
    username: 'shop-1',
    passwordHash: await hashPassword('right-password'),
  } as ConnectionRecord;
  const repo = { findByUsername: (u: string) => (u === record.username ? record : undefined) };
  let checks = 0;
  const verify = (password: string, hash: string) => {
    checks++;
    return verifyPassword(password, hash);
  };
  return { record, repo, verify, checks: () => checks };
}

describe('logins verified before', () => {
  it('skip scrypt for the same username and password, and only for them', async () => {
    const { repo, verify, checks } = await setup();
    const cache = new LoginCache();
    expect((await authenticate(repo, 'shop-1', 'right-password', cache, verify))?.id).toBe('c1');
    expect(checks()).toBe(1);
    expect((await authenticate(repo, 'shop-1', 'right-password', cache, verify))?.id).toBe('c1');
    expect(checks()).toBe(1);
    // A wrong password is always checked (and counted by the lockout), never remembered.
    expect(await authenticate(repo, 'shop-1', 'wrong-password', cache, verify)).toBeUndefined();
    expect(await authenticate(repo, 'shop-1', 'wrong-password', cache, verify)).toBeUndefined();
    expect(checks()).toBe(3);
  });

  it('are checked again once the password was rotated', async () => {
    const { record, repo, verify, checks } = await setup();
    const cache = new LoginCache();
    await authenticate(repo, 'shop-1', 'right-password', cache, verify);
    record.passwordHash = await hashPassword('new-password');
    expect(await authenticate(repo, 'shop-1', 'right-password', cache, verify)).toBeUndefined();
    expect((await authenticate(repo, 'shop-1', 'new-password', cache, verify))?.id).toBe('c1');
    expect(checks()).toBe(3);
  });

  it('keep no password: only a keyed hash under a key of this process', async () => {
    const cache = new LoginCache();
    cache.remember('shop-1', 'right-password', 'scrypt$…');
    const kept = JSON.stringify([...(cache as unknown as { verified: Map<string, string> }).verified]);
    expect(kept).not.toContain('right-password');
    expect(new LoginCache().matches('shop-1', 'right-password', 'scrypt$…')).toBe(false);
  });
});
