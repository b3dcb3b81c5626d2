import type { RecipientStatus } from './message';

/** One allowed change of a recipient's status: from which states, to which, and what the event log calls it. */
export interface Transition {
  from: readonly RecipientStatus[];
  to: RecipientStatus;
  /** The event row's type (the statistics count some of them: delivered, deferred, expired). */
  event: string;
  /** Why this transition exists, in a sentence (shown in docs/architecture.md). */
  why: string;
}

/**
 * The recipient lifecycle: the only place that says which status may follow which. Every status
 * write in the store names one of these and is a conditional update on its `from` states, so two
 * writers (a worker and a bounce report, a worker and the operator) can never silently overwrite
 * each other: the later one is refused, logged and left out.
 */
export const LIFECYCLE = {
  claim: {
    from: ['queued', 'deferred'],
    to: 'sending',
    event: 'sending',
    why: 'Delivery takes the recipient under a lease that expires.',
  },
  leaseExpired: {
    from: ['sending'],
    to: 'deferred',
    event: 'lease-expired',
    why: 'A lease ran out while no worker of this process held it (the worker failed): due again now.',
  },
  delivered: {
    from: ['sending'],
    to: 'delivered',
    event: 'delivered',
    why: 'The recipient server accepted the mail.',
  },
  deferred: {
    from: ['sending'],
    to: 'deferred',
    event: 'deferred',
    why: 'A temporary failure: tried again on the backoff schedule.',
  },
  bounced: {
    from: ['sending'],
    to: 'bounced',
    event: 'bounced',
    why: 'The recipient server refused the mail for good (5xx), or its domain does not exist.',
  },
  expired: {
    from: ['sending'],
    to: 'expired',
    event: 'expired',
    why: 'A temporary failure at or after the queue lifetime: Relaydesk gives up.',
  },
  suppressed: {
    from: ['queued', 'deferred'],
    to: 'suppressed',
    event: 'suppressed',
    why: 'The address went on the suppression list before the mail was sent: it is not sent.',
  },
  requeued: {
    from: ['sending'],
    to: 'deferred',
    event: 'requeued',
    why: 'Relaydesk stopped (or restarted after a crash) before the outcome was known: due again now.',
  },
  retry: {
    from: ['queued', 'deferred'],
    to: 'deferred',
    event: 'retry',
    why: 'The operator asked to try now.',
  },
  cancel: {
    from: ['queued', 'deferred'],
    to: 'cancelled',
    event: 'cancelled',
    why: 'The operator cancelled the mail before it was sent.',
  },
  release: {
    from: ['captured'],
    to: 'queued',
    event: 'released',
    why: 'The operator released a sandbox capture to real delivery.',
  },
  reportBounced: {
    from: ['delivered', 'sending', 'deferred'],
    to: 'bounced',
    event: 'bounced',
    why: 'A bounce report came back. From sending: the running attempt’s outcome is then refused. From deferred: an earlier attempt was taken although Relaydesk never saw the 250 (a lost reply).',
  },
  complained: {
    from: ['delivered'],
    to: 'complained',
    event: 'complained',
    why: 'The recipient reported the delivered mail as spam (ARF).',
  },
} as const satisfies Record<string, Transition>;

export type LifecycleEvent = keyof typeof LIFECYCLE;

export function transitionOf(event: LifecycleEvent): Transition {
  return LIFECYCLE[event];
}

/** Whether `event` may apply to a recipient that is `status` now. */
export function allows(event: LifecycleEvent, status: RecipientStatus): boolean {
  return (LIFECYCLE[event].from as readonly RecipientStatus[]).includes(status);
}

/** States no transition leaves except a report or complaint: the recipient's fate is settled. */
export const FINAL_STATES: readonly RecipientStatus[] = [
  'delivered',
  'bounced',
  'expired',
  'suppressed',
  'complained',
  'cancelled',
];

/** States that still wait for delivery (retention never removes their message). */
export const WAITING_STATES: readonly RecipientStatus[] = ['queued', 'deferred', 'sending'];
