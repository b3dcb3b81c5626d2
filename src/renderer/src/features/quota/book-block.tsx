import { Button, Group, Paper, Select, Switch, Text, Title } from '@mantine/core';
import { formatEuro, type QuotaSummary } from '@shared/domain/quota';
import { useState } from 'react';
import { api } from '../../api/client';
import { consoleTimeZone as timeZone } from '../../api/time-zone';
import { ConfirmModal } from '../../components/confirm-modal';
import { notifySuccess } from '../../components/notify';
import { useRelaydesk } from '../../store';

/** What booking costs and whether it renews, in one sentence: shown under the form and in the confirmation. */
function bookingTerms(size: number, priceMicros: number, autoRenew: boolean): string {
  const price = formatEuro(priceMicros);
  return `${size.toLocaleString()} mails for ${price}, valid 30 days. ${
    autoRenew
      ? `Renews automatically every 30 days for ${price} each time, until renewal is turned off.`
      : 'Does not renew: quota left after 30 days expires.'
  }`;
}

export function BookBlock({ summary }: { summary: QuotaSummary }) {
  const setQuotaSummary = useRelaydesk((s) => s.setQuotaSummary);
  const [size, setSize] = useState(String(summary.offers[0]?.size ?? 25_000));
  const [autoRenew, setAutoRenew] = useState(true);
  const [confirming, setConfirming] = useState(false);
  const offer = summary.offers.find((o) => String(o.size) === size);
  const terms = offer ? bookingTerms(offer.size, offer.priceMicros, autoRenew) : null;
  const book = async () => {
    setQuotaSummary(await api.call('quota.bookBlock', { size: Number(size), autoRenew, timeZone }));
    notifySuccess(`Booked ${Number(size).toLocaleString()} mails.`);
    setConfirming(false);
  };
  return (
    <Paper withBorder p="md">
      <Title order={5} mb="xs">
        Book a block
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        A block lasts 30 days; quota left at its end expires. Booking lifts the demo limit of{' '}
        {summary.demoHourlyLimit} mails an hour.
      </Text>
      <Group align="flex-end">
        <Select
          label="Block"
          data={summary.offers.map((o) => ({
            value: String(o.size),
            label: `${o.size.toLocaleString()} mails, ${formatEuro(o.priceMicros)}`,
          }))}
          value={size}
          onChange={(v) => setSize(v ?? size)}
          allowDeselect={false}
          w={260}
        />
        <Switch
          label="Renew every 30 days"
          checked={autoRenew}
          onChange={(e) => setAutoRenew(e.currentTarget.checked)}
          mb={8}
        />
        <Button onClick={() => setConfirming(true)} disabled={!offer}>
          Book block
        </Button>
      </Group>
      {terms && (
        <Text size="sm" mt="sm" data-testid="booking-terms">
          {terms}
        </Text>
      )}
      {confirming && offer && terms && (
        <ConfirmModal
          title={`Book ${offer.size.toLocaleString()} mails for ${formatEuro(offer.priceMicros)}?`}
          confirmLabel={`Book for ${formatEuro(offer.priceMicros)}`}
          color="blue"
          failure="Not booked"
          onClose={() => setConfirming(false)}
          onConfirm={book}
        >
          <Text size="sm" data-testid="booking-confirm-terms">
            {terms}
          </Text>
          <Text size="sm" c="dimmed">
            The price is billed on this period's statement.
          </Text>
        </ConfirmModal>
      )}
    </Paper>
  );
}
