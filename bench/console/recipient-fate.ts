/**
 * What happens to one recipient after acceptance, as the delivery engine and the bounce
 * listener would record it: delivery attempts (with the default retry schedule and the 48-hour
 * queue lifetime) and, later, an asynchronous bounce report or a complaint.
 */
import type { AttemptOutcome } from '@shared/domain/message';
import type { Random } from './random';

export interface Answer {
  code: number;
  enhanced: string;
  text: string;
}

export type Step =
  | {
      kind: 'attempt';
      at: number;
      durationMs: number;
      outcome: AttemptOutcome;
      answer: Answer;
      /** After a deferral: when the next attempt is due. */
      retryAt: number | null;
    }
  | { kind: 'report'; at: number; report: 'bounce' | 'complaint' };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** delivery.retrySchedule and delivery.queueLifetimeHours at their defaults. */
const RETRY_WAITS = [5, 10, 20, 40, 60, 120, 240].map((m) => m * MINUTE);
const LIFETIME = 48 * HOUR;

export const ANSWERS = {
  delivered: { code: 250, enhanced: '2.0.0', text: 'Ok: queued' },
  greylisted: { code: 451, enhanced: '4.7.1', text: 'Greylisted, please try again later' },
  busy: { code: 421, enhanced: '4.3.2', text: 'Service not available, closing transmission channel' },
  userUnknown: {
    code: 550,
    enhanced: '5.1.1',
    text: 'The email account that you tried to reach does not exist',
  },
  mailboxFull: { code: 552, enhanced: '5.2.2', text: 'Mailbox full, message rejected' },
} satisfies Record<string, Answer>;

/** The share of recipients of live mail that each fate befalls; the rest are delivered at once. */
const FATES: [Fate, number][] = [
  ['bouncedHard', 1.4],
  ['bouncedSoft', 0.3],
  ['bouncedLater', 0.3],
  ['complained', 0.1],
  ['expired', 0.15],
  ['deferredThenDelivered', 6],
  ['delivered', 91.75],
];
type Fate =
  | 'bouncedHard'
  | 'bouncedSoft'
  | 'bouncedLater'
  | 'complained'
  | 'expired'
  | 'deferredThenDelivered'
  | 'delivered';

/** The steps of one recipient of live mail accepted at `acceptedAt`, oldest first. */
export function recipientFate(random: Random, acceptedAt: number): Step[] {
  const fate = random.weighted(FATES);
  let at = acceptedAt + random.between(300, 4000);
  const attempt = (outcome: AttemptOutcome, answer: Answer): Extract<Step, { kind: 'attempt' }> => ({
    kind: 'attempt',
    at,
    durationMs: random.between(80, 2500),
    outcome,
    answer,
    retryAt: null,
  });
  const steps: Step[] = [];
  if (fate === 'deferredThenDelivered' || fate === 'expired') {
    const deferrals = fate === 'expired' ? Number.POSITIVE_INFINITY : random.between(1, 3);
    for (let n = 1; n <= deferrals; n++) {
      if (at >= acceptedAt + LIFETIME) return [...steps, attempt('expired', ANSWERS.busy)];
      const next = Math.min(
        at + (RETRY_WAITS[Math.min(n, RETRY_WAITS.length) - 1] ?? HOUR),
        acceptedAt + LIFETIME,
      );
      steps.push({
        ...attempt('deferred', random.next() < 0.7 ? ANSWERS.greylisted : ANSWERS.busy),
        retryAt: next,
      });
      at = next;
    }
  }
  if (fate === 'bouncedHard') return [attempt('bounced', ANSWERS.userUnknown)];
  if (fate === 'bouncedSoft') return [attempt('bounced', ANSWERS.mailboxFull)];
  steps.push(attempt('delivered', ANSWERS.delivered));
  if (fate === 'bouncedLater')
    steps.push({ kind: 'report', at: at + random.between(1, 360) * MINUTE, report: 'bounce' });
  if (fate === 'complained')
    steps.push({ kind: 'report', at: at + random.between(1, 72) * HOUR, report: 'complaint' });
  return steps;
}
