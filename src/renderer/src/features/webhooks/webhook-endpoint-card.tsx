import { Badge, Button, Code, Group, Paper, Stack, Switch, Text } from '@mantine/core';
import type { WebhookEndpoint } from '@shared/domain/webhook';
import { useState } from 'react';
import { api } from '../../api/client';
import { notifyError, notifySuccess } from '../../components/notify';
import { RelativeTime } from '../../components/relative-time';
import { useRelaydesk } from '../../store';
import { WebhookHistory } from './webhook-history';

interface Props {
  endpoint: WebhookEndpoint;
  onRotate: (endpoint: WebhookEndpoint) => void;
  onDelete: (endpoint: WebhookEndpoint) => void;
}

function LastAttempt({ endpoint }: { endpoint: WebhookEndpoint }) {
  const last = endpoint.lastAttempt;
  return (
    <Text size="xs" c="dimmed" data-testid="webhook-state">
      {last === null ? (
        'nothing sent yet'
      ) : (
        <>
          last {last.type} event <RelativeTime at={last.at} />:{' '}
          {last.error ? last.error : `HTTP ${last.statusCode}`}
        </>
      )}
      {endpoint.pending > 0 && ` · ${endpoint.pending} waiting to be sent`}
      {endpoint.failed > 0 && ` · ${endpoint.failed} given up after 24 hours`}
    </Text>
  );
}

/** One endpoint: its URL and events, on/off, a test event, its history, rotate and delete. */
export function WebhookEndpointCard({ endpoint, onRotate, onDelete }: Props) {
  const upsertWebhook = useRelaydesk((s) => s.upsertWebhook);
  const history = useRelaydesk((s) => s.webhooks.history[endpoint.id]);
  const loadHistory = useRelaydesk((s) => s.loadWebhookHistory);
  const closeHistory = useRelaydesk((s) => s.closeWebhookHistory);
  const [switching, setSwitching] = useState(false);
  const [testing, setTesting] = useState(false);

  const toggle = async (enabled: boolean) => {
    setSwitching(true);
    try {
      upsertWebhook(await api.call('webhooks.update', { id: endpoint.id, enabled }));
    } catch (err) {
      notifyError(`Could not ${enabled ? 'enable' : 'disable'} the endpoint`, err);
    } finally {
      setSwitching(false);
    }
  };

  const sendTest = async () => {
    setTesting(true);
    try {
      const attempt = await api.call('webhooks.sendTest', { id: endpoint.id });
      if (attempt.error) notifyError('The receiver did not take the test event', attempt.error);
      else notifySuccess(`The receiver took the test event (HTTP ${attempt.statusCode}).`);
    } catch (err) {
      notifyError('Could not send the test event', err);
    } finally {
      setTesting(false);
    }
  };

  return (
    <Paper withBorder p="sm" data-testid="webhook-endpoint">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Code fz="sm" style={{ wordBreak: 'break-all' }}>
            {endpoint.url}
          </Code>
          <Switch
            checked={endpoint.enabled}
            disabled={switching}
            label={endpoint.enabled ? 'enabled' : 'disabled'}
            onChange={(e) => void toggle(e.currentTarget.checked)}
            aria-label={`${endpoint.url} enabled`}
          />
        </Group>
        <Group gap={4}>
          {endpoint.eventTypes.map((t) => (
            <Badge key={t} variant="outline" size="sm" tt="none">
              {t}
            </Badge>
          ))}
        </Group>
        <LastAttempt endpoint={endpoint} />
        <Group gap={4}>
          <Button size="xs" variant="light" loading={testing} onClick={() => void sendTest()}>
            Send test event
          </Button>
          <Button
            size="xs"
            variant="subtle"
            onClick={() => (history ? closeHistory(endpoint.id) : void loadHistory(endpoint.id))}
          >
            {history ? 'Hide history' : 'History'}
          </Button>
          <Button size="xs" variant="subtle" onClick={() => onRotate(endpoint)}>
            Rotate secret
          </Button>
          <Button size="xs" variant="subtle" color="red" onClick={() => onDelete(endpoint)}>
            Delete
          </Button>
        </Group>
        {history && <WebhookHistory attempts={history} />}
      </Stack>
    </Paper>
  );
}
