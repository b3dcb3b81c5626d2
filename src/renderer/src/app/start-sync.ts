import { api, type LinkState } from '../api/client';
import { useRelaydesk } from '../store';

/**
 * Connects the store to the relay, once, outside React: push events go straight into the store,
 * and every time the link becomes live (first connect, or back after a drop) everything is
 * refetched, since events sent while the link was down are lost.
 */
export function startSync(): void {
  const store = useRelaydesk;
  api.onEvent((event) => {
    try {
      store.getState().applyEvent(event);
    } catch (err) {
      // A throw here would tear down the event stream; one bad event must not cost the rest.
      console.error('Relaydesk: could not apply event', event.type, err);
    }
  });
  let previous: LinkState | null = null;
  api.onLinkState((state) => {
    store.getState().setLinkState(state);
    if (state === 'live' && previous !== 'live') void store.getState().resync();
    previous = state;
  });
}
