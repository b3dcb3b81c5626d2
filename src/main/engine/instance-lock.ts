import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AppError } from '@shared/api/errors';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds: a second engine in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * One Relaydesk per data folder: two processes appending to one spool and store would
 * each think they own the queue. A lock left by a crashed process (dead pid) is taken over.
 */
export function acquireInstanceLock(file: string, dataDir: string): () => void {
  if (heldHere.has(file)) {
    throw new AppError(
      'conflict',
      `Relaydesk is already using the data folder ${dataDir} in this process. Stop it first, or use --data-dir pointing elsewhere.`,
    );
  }
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new AppError(
        'conflict',
        `Another Relaydesk (process ${holder}) is already using the data folder ${dataDir}. Stop it first, or start this one with --data-dir pointing elsewhere.`,
      );
    }
    writeFileSync(file, String(process.pid), { mode: 0o600 });
  }
  heldHere.add(file);
  return () => {
    heldHere.delete(file);
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
    } catch {
      // already gone
    }
  };
}
