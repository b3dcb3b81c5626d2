import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Message files. One file per message, `<root>/<first 5 id chars>/<id>.eml`: ids start with
 * the acceptance time, so a folder holds about half an hour of mail and old folders can go whole.
 * A mail being received lives in `<root>/incoming/` (its body while it streams in, then the
 * signed mail being assembled) and is moved into place only once complete and fsynced, so
 * whatever a crash leaves in `incoming/` was never accepted.
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

  /**
   * The stored message files, folder by folder (oldest first), as message ids. Other folders
   * (`incoming/`, `reports/`) and other files are left out.
   */
  async *messageIds(): AsyncGenerator<string[]> {
    const folders = (await readdir(this.root, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && /^[0-9a-z]{5}$/.test(e.name))
      .map((e) => e.name)
      .sort();
    for (const folder of folders) {
      const names = await readdir(join(this.root, folder)).catch(() => [] as string[]);
      yield names.filter((n) => /^[0-9a-z]{17}\.eml$/.test(n)).map((n) => n.slice(0, -4));
    }
  }

  /** Where the body of a new mail streams into: memory while small, `incoming/<id>.body` beyond that. */
  receiveBody(id: string): IncomingBody {
    return new IncomingBody(join(this.incoming, `${id}.body`));
  }

  /**
   * Makes the mail durable: writes `head` (signatures and header section) and the received
   * body into one file, fsyncs it (`flush`), moves it into place and fsyncs that folder so the
   * name survives a power cut too. Only after this may the store record the message.
   */
  async commit(id: string, head: Buffer, body: IncomingBody): Promise<number> {
    const finalPath = this.pathOf(id);
    await mkdir(dirname(finalPath), { recursive: true, mode: 0o700 });
    const partPath = join(this.incoming, `${id}.part`);
    try {
      const out = createWriteStream(partPath, { flags: 'wx', mode: 0o600, flush: true });
      out.write(head);
      await pipeline(body.content(), out);
      await rename(partPath, finalPath);
      const dir = await open(dirname(finalPath), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (err) {
      await rm(partPath, { force: true });
      throw err;
    } finally {
      await body.discard();
    }
    return (await stat(finalPath)).size;
  }

  /** Keeps a received bounce report as it came, fsynced, in `<root>/reports/<id>.eml`. */
  async saveReport(id: string, raw: Buffer): Promise<void> {
    const dir = join(this.root, 'reports');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const handle = await open(join(dir, `${id}.eml`), 'wx', 0o600);
    try {
      await handle.writeFile(raw);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async readReport(id: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.root, 'reports', `${id}.eml`));
    } catch {
      return undefined;
    }
  }

  async removeReport(id: string): Promise<void> {
    await rm(join(this.root, 'reports', `${id}.eml`), { force: true });
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

/** Bodies up to this size stay in memory: most transactional mails never touch a temporary file. */
const IN_MEMORY_BODY_BYTES = 256 * 1024;

/**
 * The body of a mail being received. It is held in memory while small; past
 * IN_MEMORY_BODY_BYTES everything goes to `incoming/<id>.body`, so a large mail never sits in
 * memory whole.
 */
export class IncomingBody extends Writable {
  private chunks: Buffer[] = [];
  private held = 0;
  private file: WriteStream | undefined;

  constructor(readonly path: string) {
    super();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    if (!this.file && this.held + chunk.length <= IN_MEMORY_BODY_BYTES) {
      this.chunks.push(chunk);
      this.held += chunk.length;
      done();
      return;
    }
    if (!this.file) {
      this.file = createWriteStream(this.path, { flags: 'wx', mode: 0o600 });
      this.file.on('error', (err) => this.destroy(err));
      for (const held of this.chunks) this.file.write(held);
      this.chunks = [];
    }
    if (this.file.write(chunk)) done();
    else this.file.once('drain', () => done());
  }

  override _final(done: (err?: Error | null) => void): void {
    if (!this.file) {
      done();
      return;
    }
    this.file.end();
    this.file.once('close', () => done());
  }

  /** The received body, for the final file. */
  content(): Readable {
    return this.file ? createReadStream(this.path) : Readable.from(this.chunks);
  }

  async discard(): Promise<void> {
    this.chunks = [];
    const file = this.file;
    if (file && !file.closed) {
      file.destroy();
      await new Promise<void>((resolve) => (file.closed ? resolve() : file.once('close', resolve)));
    }
    if (file) await rm(this.path, { force: true });
  }
}
