/**
 * After a temporary failure: when to try again, by the retry schedule (the last wait repeats),
 * never past the queue lifetime — the last try is at the deadline; a failure at or after the
 * deadline expires the recipient.
 */
export function afterTemporaryFailure(
  attempts: number,
  now: number,
  acceptedAt: number,
  schedule: number[],
  lifetimeMs: number,
): { retryAt: number } | { expire: true } {
  const deadline = acceptedAt + lifetimeMs;
  if (now >= deadline) return { expire: true };
  const wait = schedule[Math.min(Math.max(attempts, 1), schedule.length) - 1] ?? 0;
  return { retryAt: Math.min(now + wait, deadline) };
}

/** Up to this share of the wait is added, so recipients deferred together do not retry together. */
const JITTER = 0.1;

/**
 * `retryAt` moved later by up to a tenth of its wait, by a fraction fixed per recipient (so a
 * test can predict it and a recipient's retries keep their place), never past the deadline.
 */
export function withJitter(retryAt: number, now: number, deadline: number, recipientId: number): number {
  const fraction = ((Math.imul(recipientId, 2654435761) >>> 0) % 1000) / 1000;
  return Math.min(deadline, retryAt + Math.floor((retryAt - now) * JITTER * fraction));
}
