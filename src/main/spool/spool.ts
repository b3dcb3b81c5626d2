import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Message files. One file per message, `<root>/<first 5 id chars>/<id>.eml`: ids start with
 * the acceptance time, so a folder holds about half an hour of mail and old folders can go whole.
 * A mail being received is written to `<root>/incoming/<id>.part` and moved into place only
 * once complete and fsynced, so whatever a crash leaves in `incoming/` was never accepted.
 */
export class Spool {
  private readonly incoming: string;

  constructor(private readonly root: string) {
    this.incoming = join(root, 'incoming');
  }

  pathOf(id: string): string {
    return join(this.root, id.slice(0, 5), `${id}.eml`);
  }

  /** Removes mails a crash cut off while they were being received (none of them got a 250). */
  async sweepIncoming(): Promise<number> {
    await mkdir(this.incoming, { recursive: true, mode: 0o700 });
    const names = await readdir(this.incoming);
    await Promise.all(names.map((n) => rm(join(this.incoming, n), { force: true })));
    return names.length;
  }

  /** Opens the file for a new message. Nothing is durable until `SpoolFile.commit()` resolves. */
  async create(id: string): Promise<SpoolFile> {
    const finalPath = this.pathOf(id);
    await mkdir(dirname(finalPath), { recursive: true, mode: 0o700 });
    const partPath = join(this.incoming, `${id}.part`);
    return new SpoolFile(
      partPath,
      finalPath,
      createWriteStream(partPath, { flags: 'wx', mode: 0o600, flush: true }),
    );
  }

  read(id: string, options: { end?: number } = {}): Readable {
    return createReadStream(this.pathOf(id), options.end === undefined ? {} : { end: options.end });
  }

  async readHead(id: string, maxBytes: number): Promise<{ data: Buffer; size: number }> {
    const path = this.pathOf(id);
    const { size } = await stat(path);
    if (size <= maxBytes) return { data: await readFile(path), size };
    const handle = await open(path, 'r');
    try {
      const data = Buffer.alloc(maxBytes);
      const { bytesRead } = await handle.read(data, 0, maxBytes, 0);
      return { data: data.subarray(0, bytesRead), size };
    } finally {
      await handle.close();
    }
  }

  async remove(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }
}

export class SpoolFile {
  private settled = false;

  constructor(
    readonly partPath: string,
    readonly path: string,
    readonly stream: WriteStream,
  ) {}

  /**
   * Ends the stream (the `flush` option fsyncs the file before close), moves it into place and
   * fsyncs that folder so the name survives a power cut too. Only then may the store record it.
   */
  async commit(): Promise<void> {
    this.settled = true;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    await new Promise<void>((resolve, reject) => {
      if (this.stream.closed) return resolve();
      this.stream.once('close', resolve);
      this.stream.once('error', reject);
    });
    await rename(this.partPath, this.path);
    const dir = await open(dirname(this.path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  /** Throws the partial file away (refused, oversized or broken-off mail). */
  async discard(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    this.stream.destroy();
    await new Promise<void>((resolve) =>
      this.stream.closed ? resolve() : this.stream.once('close', resolve),
    );
    await rm(this.partPath, { force: true });
  }
}
