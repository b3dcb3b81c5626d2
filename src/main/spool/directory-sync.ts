import { open } from 'node:fs/promises';

/**
 * fsyncs folders so a renamed file's name survives a power cut, sharing one fsync between every
 * caller that asks for the same folder before that fsync starts: under load many mails land in
 * the same spool folder at once, and one folder fsync covers every rename done before it began.
 */
export class DirectorySync {
  /** Folder → an fsync that has not started yet (callers join it). */
  private readonly waiting = new Map<string, Promise<void>>();

  sync(dir: string): Promise<void> {
    let next = this.waiting.get(dir);
    if (!next) {
      next = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        // From here on a new caller's rename may be after this fsync: it waits for the next one.
        this.waiting.delete(dir);
        const handle = await open(dir, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      });
      this.waiting.set(dir, next);
    }
    return next;
  }
}
