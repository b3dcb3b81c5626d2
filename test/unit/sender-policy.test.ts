import { acceptsAnySenderByDefault, senderPolicyOf } from '@shared/domain/connection';
import { describe, expect, it } from 'vitest';
import { SENDER_RULES } from '../../src/main/intake/sender-policy';

describe('the sender policy of a connection', () => {
  it('accepts any sender only for a sandbox connection with the switch on', () => {
    expect(senderPolicyOf({ mode: 'sandbox', acceptsAnySender: true })).toBe('any-sender');
    expect(senderPolicyOf({ mode: 'sandbox', acceptsAnySender: false })).toBe('sending-domain');
    expect(senderPolicyOf({ mode: 'live', acceptsAnySender: false })).toBe('sending-domain');
  });

  it('never lets a live connection accept any sender, even if its record said so', () => {
    expect(senderPolicyOf({ mode: 'live', acceptsAnySender: true })).toBe('sending-domain');
  });

  it('is on by default for a new sandbox connection and off for a new live one', () => {
    expect(acceptsAnySenderByDefault('sandbox')).toBe(true);
    expect(acceptsAnySenderByDefault('live')).toBe(false);
  });

  it('keeps a mail of an any-sender connection unsigned whatever its From: domain', async () => {
    const decision = await SENDER_RULES['any-sender'].decideFrom(
      // Nothing may be looked up: the policy asks for no sending domain at all.
      { domains: new Proxy({}, { get: () => expect.unreachable() }) as never, keyStore: {} as never },
      {} as never,
      'anywhere.example',
    );
    expect(decision).toEqual({ setup: null });
  });
});
