/**
 * A console tab opened from another one (a message link in a new tab) starts without the token,
 * which sessionStorage keeps per tab. It asks the open console tabs of this origin, in memory over
 * a BroadcastChannel; one that has the token answers. Nothing is written to disk, and other sites
 * cannot listen: a channel reaches the same origin only.
 */
const CHANNEL = 'relaydesk.console-token';

type Message = { type: 'ask' } | { type: 'token'; token: string };

/** Answers other tabs' asks with this tab's token, while it has one. */
export function shareToken(current: () => string): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (e: MessageEvent<Message>) => {
    const token = current();
    if (e.data?.type === 'ask' && token) channel.postMessage({ type: 'token', token } satisfies Message);
  };
}

/** The token of another open console tab, or '' when none answers within `waitMs`. */
export function askOtherTabs(waitMs: number): Promise<string> {
  if (typeof BroadcastChannel === 'undefined') return Promise.resolve('');
  const channel = new BroadcastChannel(CHANNEL);
  return new Promise<string>((resolve) => {
    const done = (token: string) => {
      clearTimeout(timer);
      channel.close();
      resolve(token);
    };
    const timer = setTimeout(() => done(''), waitMs);
    channel.onmessage = (e: MessageEvent<Message>) => {
      if (e.data?.type === 'token' && typeof e.data.token === 'string') done(e.data.token);
    };
    channel.postMessage({ type: 'ask' } satisfies Message);
  });
}
