import { describe, expect, it } from 'vitest';
import { usernameFor } from '../../src/main/credentials/username';
import { ManualClock } from '../../src/main/engine/clock';
import { LoginTickets } from '../../src/main/intake/login-tickets';

describe('test-mail login tickets', () => {
  it('a ticket logs its connection in once', () => {
    const tickets = new LoginTickets(new ManualClock());
    const { username, password } = tickets.issue('c1');
    expect(tickets.redeem(username, password)).toBe('c1');
    expect(tickets.redeem(username, password)).toBeUndefined();
  });

  it('a wrong password uses the ticket up', () => {
    const tickets = new LoginTickets(new ManualClock());
    const { username, password } = tickets.issue('c1');
    expect(tickets.redeem(username, `${password}x`)).toBeUndefined();
    expect(tickets.redeem(username, password)).toBeUndefined();
  });

  it('a ticket older than a minute is refused', () => {
    const clock = new ManualClock();
    const tickets = new LoginTickets(clock);
    const { username, password } = tickets.issue('c1');
    clock.advance(61_000);
    expect(tickets.redeem(username, password)).toBeUndefined();
  });

  it('a revoked ticket is refused', () => {
    const tickets = new LoginTickets(new ManualClock());
    const { username, password } = tickets.issue('c1');
    tickets.revoke(username);
    expect(tickets.redeem(username, password)).toBeUndefined();
  });

  it('ticket usernames can never be a connection username', () => {
    const tickets = new LoginTickets(new ManualClock());
    const { username } = tickets.issue('c1');
    expect(usernameFor(username)).not.toBe(username);
    expect(usernameFor('relaydesk.test-mail.x')).not.toContain('.');
    expect(tickets.redeem('webshop-k3x9q2', 'anything')).toBeUndefined();
  });
});
