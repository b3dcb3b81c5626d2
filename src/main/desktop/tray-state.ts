import type { StatCounts } from '@shared/domain/stats';
import type { RelayProblemArea, RelayStatus } from '@shared/domain/status';

/** What the tray icon shows at a glance; each has its own icon in resources/. */
export type TrayState = 'running' | 'paused' | 'attention';

export interface TrayLook {
  state: TrayState;
  /** One line: "Running", "Delivery paused", "Needs attention: delivery errors, quota low (120 left)". */
  headline: string;
}

/** Problem areas in the words of the person at the machine. */
const AREA_WORDS: Record<RelayProblemArea, string> = {
  relay: 'relay errors',
  intake: 'intake errors',
  delivery: 'delivery errors',
  store: 'disk problems',
  bounces: 'bounce listener errors',
  console: 'console errors',
  quota: 'quota errors',
  retention: 'cleanup errors',
  notify: 'webhook errors',
  settings: 'a setting needs you',
};

/** Attention (problems, quota below its alert threshold) outranks paused, which outranks running. */
export function trayLook(status: RelayStatus, quotaAlertThreshold: number): TrayLook {
  const reasons = [...new Set(status.problems.map((p) => AREA_WORDS[p.area] ?? p.area))];
  if (quotaAlertThreshold > 0 && status.quota.balance < quotaAlertThreshold)
    reasons.push(`quota low (${status.quota.balance.toLocaleString('en')} left)`);
  if (reasons.length > 0) return { state: 'attention', headline: `Needs attention: ${reasons.join(', ')}` };
  if (status.queue.paused.includes('*')) return { state: 'paused', headline: 'Delivery paused' };
  return { state: 'running', headline: 'Running' };
}

/** Windows cuts tray tooltips at 127 characters. */
const TOOLTIP_MAX = 127;

export function trayTooltip(look: TrayLook, today: StatCounts | undefined): string {
  const counts = today
    ? `Today: ${today.arrived} arrived, ${today.delivered} delivered, ${today.bouncedHard + today.bouncedSoft} bounced`
    : 'Today: counting…';
  const head = `Relaydesk: ${look.headline}`;
  const room = TOOLTIP_MAX - counts.length - 1;
  return `${head.length > room ? `${head.slice(0, room - 1)}…` : head}\n${counts}`;
}
