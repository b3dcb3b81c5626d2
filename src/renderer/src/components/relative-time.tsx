import { Tooltip } from '@mantine/core';
import { formatTime } from '@shared/domain/format';
import { useNow } from './use-now';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatRelative(at: number, now: number): string {
  const diff = at - now;
  if (Math.abs(diff) < 60_000) return 'just now';
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return relative.format(Math.round(diff / ms), unit);
  }
  return 'just now';
}

/** "5 minutes ago", with the exact time on hover. */
export function RelativeTime({ at }: { at: number }) {
  const now = useNow();
  return (
    <Tooltip label={formatTime(at)} withArrow>
      <span>{formatRelative(at, now)}</span>
    </Tooltip>
  );
}
