import type { ActivityEntry } from '@shared/domain/activity';
import { describe, expect, it } from 'vitest';
import { categoryOf, enhancedCodeOf } from '../../src/main/activity/categories';
import { matchesActivityFilters, NO_ACTIVITY_FILTERS } from '../../src/renderer/src/store/activity-filters';

const facts = (command: string, reply: string, secure = true) => ({
  command,
  code: Number(reply.slice(0, 3)),
  enhanced: enhancedCodeOf(reply),
  secure,
});

describe('activity categories', () => {
  it.each([
    ['AUTH', '500 5.5.2 Error: command not recognized', false, 'tls'],
    ['MAIL', '530 5.7.0 Must issue a STARTTLS command first', false, 'tls'],
    ['MAIL', '530 5.7.0 Authentication required: log in', true, 'auth-required'],
    ['AUTH', '535 5.7.8 Authentication credentials invalid', true, 'auth-failed'],
    ['MAIL', '550 5.7.1 Connection "Shop" is disabled in Relaydesk', true, 'sender-refused'],
    ['DATA', '550 5.7.1 "x.example" is not a sending domain of connection "Shop"', true, 'sender-refused'],
    [
      'RCPT',
      '550 5.1.1 a@example.org is on the suppression list since 2026-01-01',
      true,
      'recipient-suppressed',
    ],
    [
      'RCPT',
      '550 5.7.1 a@example.org is on the suppression list since 2026-01-01',
      true,
      'recipient-suppressed',
    ],
    ['RCPT', '553 5.1.3 Recipient address "x" is not a valid e-mail address', true, 'recipient-refused'],
    ['RCPT', '452 4.5.3 Too many recipients', true, 'limit'],
    ['MAIL', '451 4.7.1 Connection "Shop" reached its limit of 5 mails per hour', true, 'limit'],
    ['DATA', '552 5.3.4 Error: message exceeds fixed maximum message size 100', true, 'size'],
    ['DATA', '554 5.6.0 The mail has a lone "." line', true, 'content'],
    ['NOOP', '421 4.4.2 No complete command within 60 seconds', true, 'timeout'],
    ['EHLO', '421 4.7.0 Too many commands: at most 20 commands without logging in', false, 'limit'],
    ['DATA', '451 4.3.0 Relaydesk could not store the mail', true, 'internal'],
    ['RCPT', '503 5.5.1 Error: need MAIL command', true, 'protocol'],
    ['BOGUS', '500 5.5.2 Error: command not recognized', true, 'protocol'],
  ] as const)('reads %s answered "%s" (TLS: %s) as %s', (command, reply, secure, category) => {
    expect(categoryOf(facts(command, reply, secure))).toBe(category);
  });

  it('reads the enhanced code only where the reply has one', () => {
    expect(enhancedCodeOf('550 5.7.1 text')).toBe('5.7.1');
    expect(enhancedCodeOf('421 Server shutting down')).toBeUndefined();
  });
});

describe('the console matches a pushed entry against the Activity filters', () => {
  const entry: ActivityEntry = {
    id: 7,
    at: 1_000,
    clientAddress: '127.0.0.1',
    connectionId: 'c1',
    connectionName: 'Shop',
    username: null,
    command: 'DATA',
    reply: '550 5.7.1 "Elsewhere.example" is not a sending domain',
    category: 'sender-refused',
    rejectedMail: true,
  };

  it('like the relay does: category, connection, refused mail, time, and words in any case', () => {
    expect(matchesActivityFilters(entry, NO_ACTIVITY_FILTERS)).toBe(true);
    expect(matchesActivityFilters(entry, { ...NO_ACTIVITY_FILTERS, category: 'sender-refused' })).toBe(true);
    expect(matchesActivityFilters(entry, { ...NO_ACTIVITY_FILTERS, category: 'tls' })).toBe(false);
    expect(matchesActivityFilters(entry, { ...NO_ACTIVITY_FILTERS, connectionId: 'c2' })).toBe(false);
    expect(
      matchesActivityFilters(
        { ...entry, rejectedMail: false },
        { ...NO_ACTIVITY_FILTERS, rejectedMail: true },
      ),
    ).toBe(false);
    expect(matchesActivityFilters(entry, { ...NO_ACTIVITY_FILTERS, since: 1_001 })).toBe(false);
    expect(matchesActivityFilters(entry, { ...NO_ACTIVITY_FILTERS, text: 'elsewhere' })).toBe(true);
    expect(matchesActivityFilters(entry, { ...NO_ACTIVITY_FILTERS, text: 'shop' })).toBe(true);
    expect(matchesActivityFilters(entry, { ...NO_ACTIVITY_FILTERS, text: 'nowhere' })).toBe(false);
  });
});
