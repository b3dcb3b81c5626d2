import type { MethodName, PushEvent, RelaydeskApi, ResultOf } from '@shared/api/contract';
import type { ApiError, Result } from '@shared/api/errors';
import type { ParamsOf } from '@shared/api/schemas';
import { askOtherTabs, shareToken } from './token-share';

/** A failed call, carrying the contract's error code, message and field messages. */
export class ApiCallError extends Error {
  readonly code: ApiError['code'];
  readonly fields: Record<string, string> | undefined;
  constructor(error: ApiError) {
    super(error.message);
    this.code = error.code;
    this.fields = error.fields;
  }
}

export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

export interface ConsoleApi extends RelaydeskApi {
  /** Push-channel state; on every return to 'live' after a drop the console resyncs. */
  onLinkState(listener: (state: LinkState) => void): () => void;
  /** Browser only: store a token the user pasted and reconnect. */
  setToken(token: string): void;
  /** Browser only: the console's address at another origin (a restart moved it), carrying this tab's token. */
  consoleUrlAt(origin: string): string;
  readonly transport: 'ipc' | 'http';
}

function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new ApiCallError(result.error);
}

class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();
  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }
  emit(value: T): void {
    for (const l of this.set) l(value);
  }
}

function ipcApi(bridge: NonNullable<Window['relaydesk']>): ConsoleApi {
  return {
    transport: 'ipc',
    call: async <M extends MethodName>(method: M, params: ParamsOf<M>) =>
      unwrap((await bridge.call(method, params)) as Result<ResultOf<M>>),
    onEvent: (listener) => bridge.onEvent(listener),
    onLinkState: (listener) => {
      listener('live');
      return () => undefined;
    },
    setToken: () => undefined,
    consoleUrlAt: () => '',
  };
}

const TOKEN_KEY = 'relaydesk.consoleToken';

/** The console token comes in the URL fragment (never sent to a server); it is kept for this tab only. */
function takeTokenFromUrl(): string {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function httpApi(): ConsoleApi {
  let token = takeTokenFromUrl();
  const events = new Listeners<PushEvent>();
  const link = new Listeners<LinkState>();
  let state: LinkState = 'connecting';
  let abort: AbortController | undefined;
  /** Each (re)start of the stream gets a number; an older loop stops when it sees a newer one. */
  let generation = 0;

  const setState = (next: LinkState) => {
    state = next;
    link.emit(next);
  };

  async function call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    await tokenKnown;
    const res = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(params ?? {}),
    });
    const body = (await res.json().catch(() => null)) as Result<ResultOf<M>> | null;
    if (res.status === 401) setState('unauthorized');
    if (!body)
      throw new ApiCallError({ code: 'internal', message: `Relaydesk answered HTTP ${res.status}.` });
    return unwrap(body);
  }

  /** Server-sent events read through fetch, so the token travels in a header, not the URL. */
  async function runEventStream(): Promise<void> {
    const mine = ++generation;
    let delay = 500;
    while (mine === generation) {
      abort = new AbortController();
      try {
        const res = await fetch('/api/events', {
          headers: { Authorization: `Bearer ${token}` },
          signal: abort.signal,
        });
        if (res.status === 401) {
          setState('unauthorized');
          return;
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        setState('live');
        delay = 500;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame
              .split('\n')
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n');
            if (data) events.emit(JSON.parse(data) as PushEvent);
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // dropped: fall through to reconnect
      }
      if (state === 'unauthorized' || mine !== generation) return;
      setState('reconnecting');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }

  /** How long a tab without a token waits for another console tab to lend it one. */
  const ASK_MS = 400;
  shareToken(() => (state === 'unauthorized' ? '' : token));
  /** Settled once the token is known, or known to be missing: calls wait for it. */
  const tokenKnown: Promise<void> = token
    ? Promise.resolve()
    : askOtherTabs(ASK_MS).then((lent) => {
        if (lent && !token) {
          token = lent;
          sessionStorage.setItem(TOKEN_KEY, lent);
        }
      });
  void tokenKnown.then(runEventStream);

  const consoleApi: ConsoleApi = {
    transport: 'http',
    call,
    onEvent: (listener) => events.add(listener),
    onLinkState: (listener) => {
      listener(state);
      return link.add(listener);
    },
    setToken(next) {
      token = next.trim();
      sessionStorage.setItem(TOKEN_KEY, token);
      abort?.abort();
      setState('connecting');
      void runEventStream();
    },
    consoleUrlAt: (origin) => `${origin}/#token=${encodeURIComponent(token)}`,
  };

  // Opening the console URL in a tab already showing the console changes only the fragment: no reload.
  window.addEventListener('hashchange', () => {
    if (/(?:^#|&)token=/.test(window.location.hash)) consoleApi.setToken(takeTokenFromUrl());
  });

  return consoleApi;
}

/** The Electron bridge when the preload provided one, else HTTP to the headless server. */
export const api: ConsoleApi = window.relaydesk ? ipcApi(window.relaydesk) : httpApi();
