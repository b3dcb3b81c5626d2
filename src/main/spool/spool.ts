import {
  closeSync,
  createReadStream,
  createWriteStream,
  fsyncSync,
  openSync,
  type WriteStream,
} from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { KeptMail } from '../store/bodies-repo';

/** The store's part of the spool (store.bodies). */
export interface BodyStore {
  put(messageId: string, content: Buffer, bodyFile?: boolean): void;
  get(messageId: string): KeptMail | undefined;
  remove(messageId: string): void;
}

/**
 * The signed mails, as sent. A mail whose body was received in memory (up to 256 KiB, most
 * transactional mail) is kept whole in the store (`message_bodies`), written in the transaction
 * that records the message, so one fsync makes both durable. A larger body stays the file it was
 * received into (fsynced as it closed), moved to `<root>/<first 5 id chars>/<id>.body` (ids start
 * with the acceptance time, so a folder holds about half an hour of mail) and its folder fsynced
 * before the store records the message with its signed header section — never copied. Mail
 * accepted before the store kept any is a whole file, `<id>.eml`. Whatever a crash leaves behind
 * was never acknowledged: `incoming/` is swept at start, and a file without a row is removed by
 * the reconciliation at start (spool/reconcile.ts). Readers use `read`/`readHead`/`readAll`,
 * which put a mail together wherever it is kept.
 */
export class Spool {
  private readonly incoming: string;
  private readonly reports: string;
  private readonly reportsIncoming: string;

  constructor(
    private readonly root: string,
    private readonly bodies: BodyStore,
  ) {
    this.incoming = join(root, 'incoming');
    this.reports = join(root, 'reports');
    this.reportsIncoming = join(this.reports, 'incoming');
  }

  /** A whole mail's file: mail accepted before the store kept mail (see the class). */
  pathOf(id: string): string {
    return join(this.root, id.slice(0, 5), `${id}.eml`);
  }

  /** A large mail's body, behind the header section the store keeps. */
  bodyPathOf(id: string): string {
    return join(this.root, id.slice(0, 5), `${id}.body`);
  }

  /**
   * Removes mails and bounce reports a crash cut off while they were being received (none of
   * them got a 250): whatever is left in `incoming/` and `reports/incoming/`.
   */
  async sweepIncoming(): Promise<number> {
    let swept = 0;
    for (const dir of [this.incoming, this.reportsIncoming]) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const names = await readdir(dir);
      await Promise.all(names.map((n) => rm(join(dir, n), { force: true })));
      swept += names.length;
    }
    return swept;
  }

  /**
   * The ids of the stored message files (`<id>.body`, `<id>.eml`), folder by folder (oldest
   * first). Other folders (`incoming/`, `reports/`) and other files are left out.
   */
  async *messageIds(): AsyncGenerator<string[]> {
    const folders = (await readdir(this.root, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && /^[0-9a-z]{5}$/.test(e.name))
      .map((e) => e.name)
      .sort();
    for (const folder of folders) {
      const names = await readdir(join(this.root, folder)).catch(() => [] as string[]);
      yield names.flatMap((n) => /^([0-9a-z]{17})\.(?:eml|body)$/.exec(n)?.[1] ?? []);
    }
  }

  /** Ids of the kept bounce reports (`reports/<id>.eml`). */
  async reportIds(): Promise<string[]> {
    const names = await readdir(this.reports).catch(() => [] as string[]);
    return names.filter((n) => /^r[0-9a-z]+\.eml$/.test(n)).map((n) => n.slice(0, -4));
  }

  /** Where the body of a new mail streams into: memory while small, `incoming/<id>.body` beyond that. */
  receiveBody(id: string): IncomingBody {
    return new IncomingBody(join(this.incoming, `${id}.body`));
  }

  /**
   * Gets a received mail ready for the store. A body received in memory is kept in the store whole:
   * `keepInStore` writes it in the transaction that records the message (one fsync for both). A
   * large body, already a file fsynced as it closed, is moved into place now and `keepInStore`
   * keeps the header section; its folder's fsync (`syncFoldersNow`) must come before that
   * transaction.
   */
  async stage(id: string, head: Buffer, body: IncomingBody): Promise<StagedMail> {
    const size = head.length + body.bytes;
    const remove = () => this.remove(id);
    const inMemory = body.inMemory();
    if (inMemory) {
      return { id, size, keepInStore: () => this.bodies.put(id, Buffer.concat([head, ...inMemory])), remove };
    }
    const path = this.bodyPathOf(id);
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await rename(body.path, path);
    } catch (err) {
      await body.discard();
      throw err;
    }
    return { id, size, file: path, keepInStore: () => this.bodies.put(id, head, true), remove };
  }

  /**
   * fsyncs the folders of these files (once each) and the spool folder (a mail folder may be new),
   * so the files' names survive a power cut. Synchronous: run in the group commit's step.
   */
  syncFoldersNow(files: string[]): void {
    if (files.length === 0) return;
    for (const folder of new Set([...files.map((f) => dirname(f)), this.root])) {
      const fd = openSync(folder, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }

  /**
   * Where a bounce report streams while it is received: `reports/incoming/<id>.part` (0600).
   * Kept (`IncomingReport.keep`) it becomes `reports/<id>.eml`; anything else removes it.
   */
  async receiveReport(id: string): Promise<IncomingReport> {
    await mkdir(this.reportsIncoming, { recursive: true, mode: 0o700 });
    const partPath = join(this.reportsIncoming, `${id}.part`);
    return new IncomingReport(partPath, join(this.reports, `${id}.eml`), await open(partPath, 'wx', 0o600));
  }

  async readReport(id: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.reports, `${id}.eml`));
    } catch {
      return undefined;
    }
  }

  async removeReport(id: string): Promise<void> {
    await rm(join(this.reports, `${id}.eml`), { force: true });
  }

  /** The stored mail as a stream (bytes 0…`end` when given), wherever it is kept. */
  read(id: string, options: { end?: number } = {}): Readable {
    const { end } = options;
    const kept = this.bodies.get(id);
    if (!kept) return createReadStream(this.pathOf(id), end === undefined ? {} : { end });
    const { content } = kept;
    if (!kept.bodyFile || (end !== undefined && end < content.length)) {
      return Readable.from([end === undefined ? content : content.subarray(0, end + 1)]);
    }
    const path = this.bodyPathOf(id);
    return Readable.from(
      headThen(content, () => createReadStream(path, end === undefined ? {} : { end: end - content.length })),
    );
  }

  /** The whole stored mail. */
  async readAll(id: string): Promise<Buffer> {
    const kept = this.bodies.get(id);
    if (!kept) return readFile(this.pathOf(id));
    if (!kept.bodyFile) return kept.content;
    return Buffer.concat([kept.content, await readFile(this.bodyPathOf(id))]);
  }

  /** The first `maxBytes` of the stored mail and its whole size. */
  async readHead(id: string, maxBytes: number): Promise<{ data: Buffer; size: number }> {
    const kept = this.bodies.get(id);
    if (!kept) return fileHead(this.pathOf(id), maxBytes);
    const { content } = kept;
    if (!kept.bodyFile) return { data: content.subarray(0, maxBytes), size: content.length };
    const body = await fileHead(this.bodyPathOf(id), Math.max(0, maxBytes - content.length));
    return {
      data: Buffer.concat([content.subarray(0, maxBytes), body.data]),
      size: content.length + body.size,
    };
  }

  /**
   * The header section of a mail the store keeps, and its body as a stream: what re-signing a
   * capture kept unsigned needs. undefined for a whole-file mail from before the store kept mail.
   */
  keptParts(id: string): { header: Buffer; body: () => Readable; bodyFile: boolean } | undefined {
    const kept = this.bodies.get(id);
    if (!kept) return undefined;
    if (kept.bodyFile) {
      return { header: kept.content, body: () => createReadStream(this.bodyPathOf(id)), bodyFile: true };
    }
    const end = kept.content.indexOf('\r\n\r\n');
    const split = end < 0 ? kept.content.length : end + 4;
    const body = kept.content.subarray(split);
    return { header: kept.content.subarray(0, split), body: () => Readable.from([body]), bodyFile: false };
  }

  /** Removes the stored mail, wherever it is kept. */
  async remove(id: string): Promise<void> {
    this.bodies.remove(id);
    await rm(this.bodyPathOf(id), { force: true });
    await rm(this.pathOf(id), { force: true });
  }
}

/** The header section, then the body file — opened only once the header was read, so a stream never read holds no file. */
async function* headThen(head: Buffer, body: () => Readable): AsyncGenerator<Buffer> {
  yield head;
  yield* body();
}

/** The first `maxBytes` of a file and its size. */
async function fileHead(path: string, maxBytes: number): Promise<{ data: Buffer; size: number }> {
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

/** A received mail ready to be recorded (see Spool.stage). */
export interface StagedMail {
  id: string;
  size: number;
  /** The file its body was moved to, whose folder must be fsynced before the store records it. */
  file?: string;
  /** In the transaction that records the message, after its row: the mail kept in the store. */
  keepInStore(): void;
  /** Removes it: the mail was not accepted after all. */
  remove(): Promise<void>;
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
  /** Bytes received. */
  bytes = 0;

  constructor(readonly path: string) {
    super();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (!this.file && this.held + chunk.length <= IN_MEMORY_BODY_BYTES) {
      this.chunks.push(chunk);
      this.held += chunk.length;
      done();
      return;
    }
    if (!this.file) {
      // fsynced as it closes: a large body is kept as this very file (Spool.stage).
      this.file = createWriteStream(this.path, { flags: 'wx', mode: 0o600, flush: true });
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

  /** The received body when it stayed in memory, else undefined. */
  inMemory(): Buffer[] | undefined {
    return this.file ? undefined : this.chunks;
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

/**
 * A bounce report being received, written chunk by chunk (awaited, so the sender is slowed to
 * the disk's pace) into its temporary file; nothing of it is held in memory.
 */
export class IncomingReport {
  private handle: FileHandle | undefined;
  bytes = 0;

  constructor(
    readonly partPath: string,
    private readonly finalPath: string,
    handle: FileHandle,
  ) {
    this.handle = handle;
  }

  async write(chunk: Buffer): Promise<void> {
    if (!this.handle) throw new Error('report file already closed');
    await this.handle.write(chunk);
    this.bytes += chunk.length;
  }

  /** The first `maxBytes` of the received report. */
  async readHead(maxBytes: number): Promise<Buffer> {
    const handle = await open(this.partPath, 'r');
    try {
      const data = Buffer.alloc(Math.min(maxBytes, this.bytes));
      const { bytesRead } = await handle.read(data, 0, data.length, 0);
      return data.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  /** Makes the report durable: fsync, move to `reports/<id>.eml`, fsync the folder. */
  async keep(): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new Error('report file already closed');
    this.handle = undefined;
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.partPath, this.finalPath);
    const dir = await open(dirname(this.finalPath), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  /** Removes the temporary file (a report refused, too large, or cut off). */
  async discard(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    await rm(this.partPath, { force: true });
  }
}
