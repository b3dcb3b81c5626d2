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
