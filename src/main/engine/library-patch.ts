import { createHash } from 'node:crypto';

/**
 * Checks that a library function is still, to the byte, the one a patch was written for (by the
 * SHA-256 of its source), so an upgrade that changes it stops the relay at start with what to
 * review — it is never patched silently.
 */
export function requireSource(
  fn: (...args: never[]) => unknown,
  sha256: string,
  what: string,
  patch: string,
): void {
  const found = createHash('sha256').update(fn.toString()).digest('hex');
  if (found !== sha256) {
    throw new Error(
      `${what} changed (source hash ${found.slice(0, 12)}, the patch was written for ${sha256.slice(0, 12)}); review the new version and update or remove ${patch}`,
    );
  }
}
