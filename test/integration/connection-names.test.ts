import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type TestRelay } from '../helpers/engine';

let relay: TestRelay;

beforeAll(async () => {
  relay = await startRelay({ deliver: false });
});
afterAll(() => relay?.dispose());

/** The refusal as it crosses the contract: a conflict, with the reason on the name field. */
const taken = (name: string) => ({
  code: 'conflict',
  error: {
    message: expect.stringMatching(/already the name of another connection .*Choose another name/),
    fields: { name: expect.stringContaining(`("${name}")`) },
  },
});

describe('connection names', () => {
  it('are unique without case or surrounding spaces: a second "webshop " is refused as a conflict on the name field', async () => {
    await relay.call('connections.create', { name: 'Webshop' });
    await expect(relay.call('connections.create', { name: ' webSHOP ' })).rejects.toMatchObject(
      taken('Webshop'),
    );
    const names = (await relay.call('connections.list', {})).map((c) => c.name);
    expect(names).toEqual(['Webshop']);
  });

  it('compare letters beyond ASCII without case too', async () => {
    await relay.call('connections.create', { name: 'Äpfel & Co' });
    await expect(relay.call('connections.create', { name: 'äPFEL & co' })).rejects.toMatchObject(
      taken('Äpfel & Co'),
    );
  });

  it('refuse a rename onto another connection’s name, and allow a connection to change the case of its own', async () => {
    const { connection } = await relay.call('connections.create', { name: 'Booking' });
    await expect(
      relay.call('connections.update', { id: connection.id, name: 'WEBSHOP' }),
    ).rejects.toMatchObject(taken('Webshop'));
    expect((await relay.call('connections.get', { id: connection.id })).name).toBe('Booking');
    const renamed = await relay.call('connections.update', { id: connection.id, name: 'BOOKING' });
    expect(renamed.name).toBe('BOOKING');
  });

  it('free a name when its connection is deleted', async () => {
    const { connection } = await relay.call('connections.create', { name: 'Old CRM' });
    await relay.call('connections.delete', { id: connection.id });
    const again = await relay.call('connections.create', { name: 'old crm' });
    expect(again.connection.name).toBe('old crm');
  });
});
