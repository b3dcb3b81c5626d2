declare module 'mailauth/lib/dkim/body' {
  import { Transform } from 'node:stream';

  /** Passes a message body through while hashing it with the given DKIM body canonicalisation. */
  export class BodyHashStream extends Transform {
    constructor(canonicalization: 'relaxed' | 'simple', hashAlgo: 'sha256' | 'sha1');
    /** Base64 body hash, set once the stream has ended. */
    bodyHash: string | null;
  }
}
