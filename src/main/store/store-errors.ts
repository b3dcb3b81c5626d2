/**
 * SQLite errors the relay cannot recover from by waiting: the database file is damaged, is not a
 * database, was moved or deleted under it, or may no longer be written. A full disk
 * (SQLITE_FULL) or a passing I/O error is not among them: delivery backs off and intake answers
 * 451 until it passes.
 */
const FATAL = /^SQLITE_(CORRUPT|NOTADB|CANTOPEN|READONLY)(_|$)/;

export function isFatalStoreError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && FATAL.test(code);
}

/** The one line that says what happened to the store and what to do. */
export function fatalStoreLine(err: unknown, database: string): string {
  const code = String((err as { code?: unknown } | undefined)?.code ?? '');
  const what = /CORRUPT|NOTADB/.test(code)
    ? 'is damaged'
    : /DBMOVED|CANTOPEN/.test(code)
      ? 'was moved or deleted while Relaydesk ran'
      : 'can no longer be written';
  return `The store ${database} ${what} (${code}); Relaydesk stopped so that no mail is acknowledged without being recorded. Restore the data folder from a backup (or put the file back, or fix its permissions) and start Relaydesk again.`;
}

/**
 * Errors of the store itself (a full disk, I/O, a lock, a damaged file), as opposed to an error
 * of one write's content: a batch meeting one gives up whole and is retried later.
 */
const STORE_FAILURE = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|NOMEM|PROTOCOL|CORRUPT|NOTADB|CANTOPEN|READONLY)(_|$)/;

export function isStoreFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && STORE_FAILURE.test(code);
}
