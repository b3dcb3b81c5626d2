/** Relaydesk's listeners, each with the flag and the setting that move it. */
const LISTENERS = {
  smtp: { what: 'The SMTP relay', flag: '--smtp-port <port>', host: '--smtp-host', setting: 'smtp.port' },
  bounces: {
    what: 'The bounce listener',
    flag: '--bounces-listen <host:port>',
    host: '--bounces-listen',
    setting: 'bounces.listen',
  },
  console: {
    what: 'The console',
    flag: '--console-port <port>',
    host: '--console-host',
    setting: 'console.port',
  },
} as const;

export type ListenerName = keyof typeof LISTENERS;

/**
 * A listener could not open its port. Its message is the one line a user needs: which listener,
 * which address, why, and the flag and setting that choose another port. Entry points print it
 * and exit with code 2 (a usage problem, like a bad flag), never a stack trace.
 */
export class ListenFailure extends Error {
  readonly exitCode = 2;

  constructor(
    message: string,
    readonly listener: ListenerName,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ListenFailure';
  }
}

/** Turns a listen error (EADDRINUSE, EACCES, EADDRNOTAVAIL, …) into a ListenFailure naming the way out. */
export function listenFailure(
  err: unknown,
  listener: ListenerName,
  host: string,
  port: number,
): ListenFailure {
  const l = LISTENERS[listener];
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const choose = `choose another with ${l.flag} (setting ${l.setting}; port 0 picks a free one)`;
  const why =
    code === 'EADDRINUSE'
      ? `the port is already in use (another Relaydesk or mail server?); stop what holds it or ${choose}`
      : code === 'EACCES'
        ? `this user may not open that port (ports below 1024 need extra rights); ${choose}`
        : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
          ? `that address is not one of this machine's; give another with ${l.host}`
          : `${(err as Error)?.message ?? String(err)}; ${choose}`;
  return new ListenFailure(`${l.what} cannot listen on ${where}: ${why}.`, listener, code);
}

/** Runs `listen` and maps its failure to a ListenFailure for `listener`. */
export async function listenAs<T>(
  listener: ListenerName,
  host: string,
  port: number,
  listen: () => Promise<T>,
): Promise<T> {
  try {
    return await listen();
  } catch (err) {
    throw listenFailure(err, listener, host, port);
  }
}
