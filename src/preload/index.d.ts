import type { PushEvent } from '../shared/api/contract';
import type { Result } from '../shared/api/errors';

/** What the preload exposes as `window.relaydesk` in the desktop app. Absent in a browser. */
export interface RelaydeskBridge {
  call(method: string, params: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: PushEvent) => void): () => void;
}

declare global {
  interface Window {
    relaydesk?: RelaydeskBridge;
  }
}
