import { Alert, Anchor } from '@mantine/core';
import { useRelaydesk } from '../../store';

/** The low-quota alert, on every page until the user closes it. */
export function QuotaAlertBanner() {
  const alert = useRelaydesk((s) => s.quotaAlert);
  const clear = useRelaydesk((s) => s.setQuotaAlert);
  const navigate = useRelaydesk((s) => s.navigate);
  if (!alert) return null;
  return (
    <Alert
      color="orange"
      title="Quota low"
      withCloseButton
      onClose={() => clear(null)}
      mb="sm"
      data-testid="quota-alert"
    >
      {alert.balance.toLocaleString()} mails left, below your alert threshold of{' '}
      {alert.threshold.toLocaleString()}. Sending goes on; past zero, mail is billed at the overage price.{' '}
      <Anchor component="button" onClick={() => navigate('quota')}>
        Book a block under Quota &amp; Billing
      </Anchor>
      .
    </Alert>
  );
}
