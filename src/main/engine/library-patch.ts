import { createHash } from 'node:crypto';

/**
 * Checks that a library function is still, to the byte, the one a patch was written for (by the
 * SHA-256 of its source), so an upgrade that changes it stops the relay at start with what to
 * review — it is never patched silently.
 */
function requireSource(fn: (...args: never[]) => unknown, sha256: string, what: string, patch: string): void {
  const found = createHash('sha256').update(fn.toString()).digest('hex');
  if (found !== sha256) {
    throw new Error(
      `${what} changed (source hash ${found.slice(0, 12)}, the patch was written for ${sha256.slice(0, 12)}); review the new version and update or remove ${patch}`,
    );
  }
}

/** A library method to replace: the SHA-256 of the source it was written for, its name in messages, the patch's file. */
export interface MethodPatch {
  sha256: string;
  what: string;
  patch: string;
}

/** Replaces `proto[name]` once (later calls do nothing), after requireSource. */
export function replaceMethod<T extends object, K extends keyof T>(
  proto: T,
  name: K,
  replacement: T[K],
  { sha256, what, patch }: MethodPatch,
): void {
  const marks = proto as Record<symbol, unknown>;
  const done = Symbol.for(`relaydesk.patched:${patch}`);
  if (marks[done]) return;
  requireSource(proto[name] as (...args: never[]) => unknown, sha256, what, patch);
  proto[name] = replacement;
  marks[done] = true;
}
