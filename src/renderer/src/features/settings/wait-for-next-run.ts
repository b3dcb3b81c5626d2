import { api } from '../../api/client';

/** Polls status.get until a run started after `startedAt` answers; false after `timeoutMs`. */
export async function waitForNextRun(startedAt: number, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    try {
      const status = await api.call('status.get', {});
      if (status.startedAt !== startedAt) return true;
    } catch {
      // Closed for the restart: ask again.
    }
  }
  return false;
}
