import { SMTPStream } from 'smtp-server/lib/smtp-stream';
import { replaceMethod } from '../engine/library-patch';

/** SHA-256 of SMTPStream.prototype._feedDataStream in smtp-server 3.21.6 (CJS and ESM builds alike). */
const ORIGINAL = '9d8b903f9a3a63542d72e19a9e2f67009a3b1107a28d57e8e7369355454ff230';
const END_SEQUENCE = Buffer.from('\r\n.\r\n');
const LF_DOT = Buffer.from('\n.');
const DOT_CRLF = Buffer.from('.\r\n');

type Done = (err?: Error | null) => void;

/**
 * smtp-server looks for the end of DATA ("\r\n.\r\n") and for escape dots with a JavaScript loop
 * over every byte: in a 25 MiB mail that loop was ~60 % of the relay's thread while receiving
 * (issue 13, docs/performance.md). This is the same function with that loop replaced by
 * `Buffer.indexOf("\n.")`, which visits exactly the positions the loop acted on (a dot after a
 * LF), in the same order — everything else, including the fix against ending DATA early through
 * TCP segmentation (`_atDataStart`), is the library's code as it was. It applies only to the
 * version it was written for (requireSource); test/unit/data-scan-patch.test.ts compares it with
 * the original on random input and chunking.
 */
export function installDataScanPatch(proto = SMTPStream.prototype): void {
  replaceMethod(proto, '_feedDataStream', feedDataStream, {
    sha256: ORIGINAL,
    what: 'smtp-server’s SMTPStream._feedDataStream',
    patch: 'src/main/intake/data-scan-patch.ts',
  });
}

function feedDataStream(this: SMTPStream, input: Buffer, done: Done): void {
  // only called in data mode, which always has a stream
  const dataStream = this._dataStream as NonNullable<SMTPStream['_dataStream']>;
  let chunk = input;
  if (this._lastBytes && this._lastBytes.length > 0) {
    chunk = Buffer.concat([this._lastBytes, chunk], this._lastBytes.length + chunk.length);
    this._lastBytes = false;
  }
  let len = chunk.length;
  // The data must not start with the terminator (see the library's comment on _atDataStart).
  if (this._atDataStart && len >= 3 && Buffer.compare(chunk.subarray(0, 3), DOT_CRLF) === 0) {
    this._endDataMode(false, chunk.subarray(3), done);
    return;
  }
  // an escape dot at the very start
  if (this._atDataStart && len >= 2 && chunk[0] === 0x2e && chunk[1] === 0x2e) {
    chunk = chunk.subarray(1);
    len--;
    this._atDataStart = false;
  }
  // Every dot that starts a line, as the library's loop over i = 2 … len - 3 found them.
  for (let lf = chunk.indexOf(LF_DOT, 1); lf >= 0; lf = chunk.indexOf(LF_DOT, lf + 1)) {
    const i = lf + 1;
    if (i >= len - 2) break;
    if (Buffer.compare(chunk.subarray(i - 2, i + 3), END_SEQUENCE) === 0) {
      // everything before the terminator is content, including the CRLF that ends the last line
      const buf = chunk.subarray(0, i);
      this._countDataBytes(buf.length);
      this._endDataMode(buf, chunk.subarray(i + 3), done);
      return;
    }
    if (chunk[i + 1] === 0x2e) {
      // an escape dot: emit what came before it and go on without it
      const buf = chunk.subarray(0, i);
      this._lastBytes = false;
      this._countDataBytes(buf.length);
      if (dataStream.writable) dataStream.write(buf);
      const rest = chunk.subarray(i + 1);
      setImmediate(() => this._feedDataStream(rest, done));
      return;
    }
  }
  // keep the last bytes: the terminator may straddle chunks
  this._lastBytes = chunk.length < 4 ? chunk : chunk.subarray(chunk.length - 4);
  if (this._lastBytes.length >= chunk.length) {
    done();
    return;
  }
  const buf = chunk.subarray(0, chunk.length - this._lastBytes.length);
  this._countDataBytes(buf.length);
  if (!dataStream.writable) {
    done();
    return;
  }
  // write, and wait for drain when the stream asks for it (a destroyed stream only closes)
  if (dataStream.write(buf) || dataStream.destroyed) {
    done();
    return;
  }
  const onDrain = () => {
    dataStream.removeListener('drain', onDrain);
    dataStream.removeListener('close', onDrain);
    done();
  };
  dataStream.once('drain', onDrain);
  dataStream.once('close', onDrain);
}
