import { randomBytes } from 'node:crypto';

/**
 * Message ids sort by acceptance time: 9 base-36 time digits (good until the year 5188) and
 * 8 random hex digits. Short enough to read out over the phone, unique without coordination.
 */
export function messageId(now: number): string {
  return now.toString(36).padStart(9, '0') + randomBytes(4).toString('hex');
}

export function connectionId(): string {
  return `c${randomBytes(6).toString('hex')}`;
}
