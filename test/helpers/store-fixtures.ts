import type { Store } from '../../src/main/store/store';

/** A live connection row for store-level tests (no password: nothing logs in). */
export function insertConnection(store: Store, id: string, name = id): void {
  store.connections.insert({
    id,
    name,
    username: `${id}-user`,
    passwordHash: 'x',
    enabled: true,
    mode: 'live',
    acceptsAnySender: false,
    hourlyLimit: null,
    createdAt: 0,
    passwordChangedAt: 0,
    lastActivityAt: null,
  });
}
