import { Text } from '@mantine/core';
import { formatTime } from '@shared/domain/format';
import { pageHref } from '../../app/routes';
import { useRelaydesk } from '../../store';
import { CountLink } from './count-link';
import { DashboardCard } from './dashboard-card';
import { formatCount } from './stat-format';

/** Quota left, and on the demo how much of this hour's allowance is used. */
export function QuotaNow() {
  const summary = useRelaydesk((s) => s.quota.summary);
  return (
    <DashboardCard
      title="Quota remaining"
      more={{ page: 'quota', label: 'Quota & Billing' }}
      testId="dashboard-quota"
    >
      {summary ? (
        <>
          <CountLink
            value={summary.remaining}
            href={pageHref('quota')}
            title="Open Quota & Billing"
            color={summary.balance < 0 ? 'red' : undefined}
            testId="dashboard-quota-remaining"
          />
          <Text size="xs" c="dimmed">
            {summary.overage > 0
              ? `${formatCount(summary.overage)} mails over quota this period`
              : summary.onDemo
                ? `Demo: ${summary.sentLastHour} of ${summary.demoHourlyLimit} mails this hour`
                : `Period ends ${formatTime(summary.periodEnd)}`}
          </Text>
          {summary.rateLimitedUntil !== null && (
            <Text size="xs" c="red">
              Hourly limit reached until {formatTime(summary.rateLimitedUntil)}
            </Text>
          )}
        </>
      ) : (
        <Text size="sm" c="dimmed">
          …
        </Text>
      )}
    </DashboardCard>
  );
}
