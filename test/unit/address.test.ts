import { isValidAddress } from '@shared/domain/address';
import { describe, expect, it } from 'vitest';

describe('recipient address syntax', () => {
  it.each([
    'customer@example.org',
    'first.last+tag@sub.example.co.uk',
    '"quoted local"@example.org',
    'user@[192.0.2.1]',
    'jürgen@müller.example',
    "o'brien@example.ie",
  ])('accepts %s', (a) => expect(isValidAddress(a)).toBe(true));

  it.each([
    '',
    'plainaddress',
    '@example.org',
    'user@',
    'user@localhost',
    'first..last@example.org',
    '.leading@example.org',
    'user@-bad-.example',
    `${'a'.repeat(65)}@example.org`,
    'two@@example.org',
  ])('refuses %s', (a) => expect(isValidAddress(a)).toBe(false));
});
