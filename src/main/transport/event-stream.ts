import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PushEvent } from '@shared/api/contract';
import type { EngineEvents } from '../engine/events';

const HEARTBEAT_MS = 15_000;

export interface EventStreams {
  /** Turns the response into a server-sent event stream of push events until the client leaves. */
  open(req: IncomingMessage, res: ServerResponse): void;
  /** Ends every open stream (at shutdown). */
  close(): void;
}

/** `GET /api/events`: push events as server-sent events, one `data:` frame per event. */
export function eventStreams(events: EngineEvents): EventStreams {
  const streams = new Map<ServerResponse, () => void>();
  const unsubscribe = events.subscribe((event: PushEvent) => {
    if (streams.size === 0) return;
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of streams.keys()) res.write(frame);
  });

  return {
    open(_req, res) {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.socket?.setNoDelay(true);
      res.write('retry: 2000\n: connected\n\n');
      const detach = events.attachConsole();
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
      const stop = () => {
        if (!streams.delete(res)) return;
        clearInterval(heartbeat);
        detach();
      };
      streams.set(res, stop);
      // The response closes when the client leaves (the request may count as done long before).
      res.once('close', stop);
    },
    close() {
      unsubscribe();
      for (const [res, stop] of [...streams]) {
        stop();
        res.end();
      }
    },
  };
}
