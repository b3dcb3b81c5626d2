import { Transform, type TransformCallback } from 'node:stream';
import { type SmtpReply, smtpReply } from './smtp-reply';

/** Header sections larger than this are refused: no legitimate transactional mail comes near it. */
export const MAX_HEADER_BYTES = 256 * 1024;

const CRLF = Buffer.from('\r\n');
const END = Buffer.from('\r\n\r\n');

export type HeaderDecision = { refuse: SmtpReply } | { header: Buffer };

/**
 * Holds back the header section (input is already CRLF-normalised) until it is complete, asks
 * `decide` whether the mail may be accepted and how its header reads after Relaydesk's edits,
 * then passes on only the body. After a refusal everything else is drained and dropped.
 * `header` (edited, ending with the empty line) is kept for the signer and the spool.
 */
export class HeaderGate extends Transform {
  decision: HeaderDecision | undefined;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;

  constructor(private readonly decide: (header: Buffer) => Promise<HeaderDecision>) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.decision) {
      if ('refuse' in this.decision) {
        done();
        return;
      }
      done(null, chunk);
      return;
    }
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    const all = Buffer.concat(this.buffered);
    this.buffered = [all];
    const end = all.subarray(0, 2).equals(CRLF) ? 0 : all.indexOf(END);
    if (end < 0) {
      if (this.bufferedBytes > MAX_HEADER_BYTES) this.settle(Buffer.alloc(0), Buffer.alloc(0), done, true);
      else done();
      return;
    }
    const headerEnd = end === 0 ? 2 : end + END.length;
    this.settle(all.subarray(0, headerEnd), all.subarray(headerEnd), done);
  }

  override _flush(done: TransformCallback): void {
    if (this.decision) {
      done();
      return;
    }
    // A mail that is all header: complete it with the empty line.
    const all = Buffer.concat(this.buffered);
    const ending = all.length === 0 || all.subarray(-2).equals(CRLF) ? CRLF : END;
    const header = Buffer.concat([all, ending]);
    this.settle(header, Buffer.alloc(0), done);
  }

  private settle(header: Buffer, rest: Buffer, done: TransformCallback, tooLarge = false): void {
    this.buffered = [];
    const decided = tooLarge ? Promise.resolve(tooLargeDecision()) : this.decide(header);
    decided.then(
      (decision) => {
        this.decision = decision;
        if ('refuse' in decision || rest.length === 0) {
          done();
          return;
        }
        done(null, rest);
      },
      (err: Error) => done(err),
    );
  }
}

function tooLargeDecision(): HeaderDecision {
  return {
    refuse: smtpReply(
      552,
      '5.3.4',
      `The header section is larger than ${MAX_HEADER_BYTES / 1024} KiB; shorten it and send again`,
    ),
  };
}
