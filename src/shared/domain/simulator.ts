/**
 * Simulator addresses: recipients on a reserved domain that never leave the machine and are never
 * billed, answered by Relaydesk's own simulated mail server so that every outcome runs the real
 * paths (delivery replies, retries, bounce reports through the bounce listener). `.test` is
 * reserved by RFC 2606 / RFC 6761: no such domain can exist on the internet.
 */
export const SIMULATOR_DOMAIN = 'simulator.relaydesk.test';

export type SimulatorBehaviour =
  | 'delivered'
  | 'bounce'
  | 'bounce-report'
  | 'soft-then-delivered'
  | 'mailbox-full'
  | 'auto-reply'
  | 'complaint'
  | 'blocked';

export interface SimulatorAddress {
  /** The local part, which is also the behaviour. */
  behaviour: SimulatorBehaviour;
  address: string;
  /** What happens, in the console's words. */
  label: string;
  /** The status the recipient ends in. */
  endsAs: string;
}

const entry = (behaviour: SimulatorBehaviour, label: string, endsAs: string): SimulatorAddress => ({
  behaviour,
  address: `${behaviour}@${SIMULATOR_DOMAIN}`,
  label,
  endsAs,
});

/** Policy as data: each simulator address, what its server does, and where the recipient ends. */
export const SIMULATOR_ADDRESSES: readonly SimulatorAddress[] = [
  entry('delivered', 'Delivered: the server accepts the mail', 'delivered'),
  entry('bounce', 'Hard bounce: 550 5.1.1 user unknown at RCPT', 'bounced (userunknown, suppressed)'),
  entry(
    'bounce-report',
    'Bounce report: accepted, then an RFC 3464 delivery status notification (5.1.1)',
    'bounced (userunknown, suppressed)',
  ),
  entry(
    'soft-then-delivered',
    'Soft bounce, then delivered: 451 on the first attempt, accepted on the retry',
    'delivered after 2 attempts',
  ),
  entry('mailbox-full', 'Mailbox full: 552 5.2.2 at RCPT', 'bounced (mailboxfull, soft)'),
  entry(
    'auto-reply',
    'Auto-reply: delivered, then an RFC 3834 out-of-office reply',
    'delivered (auto-reply)',
  ),
  entry('complaint', 'Complaint: delivered, then an ARF spam report (RFC 5965)', 'complained (suppressed)'),
  entry('blocked', 'Blocked: 550 5.7.1 the sending IP is on a block list', 'bounced (blocked)'),
];

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

export function isSimulatorAddress(address: string): boolean {
  return domainOf(address) === SIMULATOR_DOMAIN;
}

/** The behaviour a simulator address asks for; undefined for an unknown local part. */
export function simulatorBehaviour(address: string): SimulatorBehaviour | undefined {
  if (!isSimulatorAddress(address)) return undefined;
  const local = address.slice(0, address.lastIndexOf('@')).toLowerCase();
  return SIMULATOR_ADDRESSES.find((a) => a.behaviour === local)?.behaviour;
}
