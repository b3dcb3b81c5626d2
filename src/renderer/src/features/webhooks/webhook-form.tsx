import { Button, Checkbox, Group, Stack, TextInput } from '@mantine/core';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType, type WebhookSecret } from '@shared/domain/webhook';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import { splitFieldErrors } from '../../api/error-message';
import { notifyError } from '../../components/notify';
import { useRelaydesk } from '../../store';

const FORM_FIELDS = ['url', 'eventTypes'] as const;

/** What each event type means, for the checkboxes. */
export const EVENT_TYPE_LABELS: Record<WebhookEventType, string> = {
  delivered: 'delivered — the recipient server accepted the mail',
  deferred: 'deferred — a temporary failure, tried again (may come more than once)',
  bounced: 'bounced — refused for good, with reason and hard/soft',
  expired: 'expired — still not delivered at the end of the queue lifetime',
  complained: 'complained — the recipient reported the mail as spam',
};

interface Props {
  connectionId: string;
  onCreated: (created: WebhookSecret) => void;
  onCancel: () => void;
}

/** A new endpoint: the URL that receives the events and which events it wants. */
export function WebhookForm({ connectionId, onCreated, onCancel }: Props) {
  const upsertWebhook = useRelaydesk((s) => s.upsertWebhook);
  const [url, setUrl] = useState('');
  const [eventTypes, setEventTypes] = useState<string[]>([...WEBHOOK_EVENT_TYPES]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setErrors({});
    try {
      const created = await api.call('webhooks.create', {
        connectionId,
        url,
        eventTypes: eventTypes as WebhookEventType[],
      });
      upsertWebhook(created.endpoint);
      onCreated(created);
    } catch (err) {
      const { fields, other } = splitFieldErrors(err, FORM_FIELDS);
      setErrors(fields);
      if (other) notifyError('Could not add the webhook endpoint', other);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack gap="sm">
        <TextInput
          label="Endpoint URL"
          description="Relaydesk POSTs each event as JSON to this address (https://, or http:// on your own network)."
          placeholder="https://shop.example/hooks/mail"
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
          error={errors.url}
          data-autofocus
        />
        <Checkbox.Group label="Events" value={eventTypes} onChange={setEventTypes} error={errors.eventTypes}>
          <Stack gap={6} mt={6}>
            {WEBHOOK_EVENT_TYPES.map((t) => (
              <Checkbox key={t} value={t} label={EVENT_TYPE_LABELS[t]} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={saving}>
            Add endpoint
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
