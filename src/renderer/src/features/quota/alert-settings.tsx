import { Button, Group, NumberInput, Paper, Text, TextInput, Title } from '@mantine/core';
import type { QuotaSummary } from '@shared/domain/quota';
import { useState } from 'react';
import { api } from '../../api/client';
import { splitFieldErrors } from '../../api/error-message';
import { notifyError, notifySuccess } from '../../components/notify';
import { useRelaydesk } from '../../store';

/** The low-quota alert: threshold and the admin's address (two settings, edited here where they matter). */
export function AlertSettings({ summary }: { summary: QuotaSummary }) {
  const loadQuota = useRelaydesk((s) => s.loadQuota);
  const [threshold, setThreshold] = useState<number | ''>(summary.alert.threshold);
  const [email, setEmail] = useState(summary.alert.adminEmail);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setErrors({});
    try {
      await api.call('settings.update', {
        values: { 'quota.alertThreshold': threshold === '' ? 0 : threshold, 'alerts.adminEmail': email },
      });
      notifySuccess('Alert settings saved.');
      await loadQuota();
    } catch (err) {
      const { fields, other } = splitFieldErrors(err, ['quota.alertThreshold', 'alerts.adminEmail']);
      setErrors(fields);
      if (other) notifyError('Not saved', other);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md">
      <Title order={5} mb="xs">
        Low-quota alert
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        When the remaining quota falls below the threshold, the admin gets one mail and the console shows a
        banner.
        {summary.alert.below
          ? ' It has fired and waits for the quota to rise above the threshold again.'
          : ''}
      </Text>
      <Group align="flex-end">
        <NumberInput
          label="Threshold (mails, 0 = off)"
          value={threshold}
          onChange={(v) => setThreshold(typeof v === 'number' ? v : v === '' ? '' : Number(v))}
          min={0}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="none"
          error={errors['quota.alertThreshold']}
          w={200}
        />
        <TextInput
          label="Admin e-mail"
          placeholder="admin@your-company.example"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={errors['alerts.adminEmail']}
          w={280}
        />
        <Button variant="default" onClick={() => void save()} loading={busy}>
          Save alert
        </Button>
      </Group>
    </Paper>
  );
}
