import { Button, Group, Paper, Select, Switch, Text, Title } from '@mantine/core';
import { formatEuro, type QuotaSummary } from '@shared/domain/quota';
import { useState } from 'react';
import { api } from '../../api/client';
import { consoleTimeZone as timeZone } from '../../api/time-zone';
import { notifyError, notifySuccess } from '../../components/notify';
import { useRelaydesk } from '../../store';

export function BookBlock({ summary }: { summary: QuotaSummary }) {
  const setQuotaSummary = useRelaydesk((s) => s.setQuotaSummary);
  const [size, setSize] = useState(String(summary.offers[0]?.size ?? 25_000));
  const [autoRenew, setAutoRenew] = useState(true);
  const [busy, setBusy] = useState(false);
  const book = async () => {
    setBusy(true);
    try {
      setQuotaSummary(await api.call('quota.bookBlock', { size: Number(size), autoRenew, timeZone }));
      notifySuccess(`Booked ${Number(size).toLocaleString()} mails.`);
    } catch (err) {
      notifyError('Not booked', err);
    } finally {
      setBusy(false);
    }
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
        <Button onClick={() => void book()} loading={busy}>
          Book block
        </Button>
      </Group>
    </Paper>
  );
}
