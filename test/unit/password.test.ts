import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from '../../src/main/credentials/password';
import { usernameFor } from '../../src/main/credentials/username';

describe('connection passwords', () => {
  it('are 24 characters without look-alikes, and differ every time', () => {
    const passwords = new Set(Array.from({ length: 50 }, generatePassword));
    expect(passwords.size).toBe(50);
    for (const p of passwords) expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{24}$/);
  });

  it('are stored as a salted scrypt hash that verifies only the right password', async () => {
    const password = generatePassword();
    const hash = await hashPassword(password);
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(hash).not.toContain(password);
    expect(await hashPassword(password)).not.toBe(hash);
    expect(await verifyPassword(password, hash)).toBe(true);
    expect(await verifyPassword(`${password}x`, hash)).toBe(false);
    expect(await verifyPassword(password, 'md5$whatever')).toBe(false);
  });
});

describe('connection usernames', () => {
  it('come from the name, made safe, with a random tail', () => {
    expect(usernameFor('Webshop (Shopware 6)')).toMatch(/^webshop-shopware-6-[a-z0-9]{6}$/);
    expect(usernameFor('Café Übersee')).toMatch(/^cafe-ubersee-[a-z0-9]{6}$/);
    expect(usernameFor('!!!')).toMatch(/^system-[a-z0-9]{6}$/);
  });
});
