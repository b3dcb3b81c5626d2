import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import type { Connection } from '@shared/domain/connection';
import type { WebhookEndpoint, WebhookSecret } from '@shared/domain/webhook';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { AppModal } from '../../components/app-modal';
import { ConfirmModal } from '../../components/confirm-modal';
import { useRelaydesk } from '../../store';
import { WebhookEndpointCard } from './webhook-endpoint-card';
import { WebhookForm } from './webhook-form';
import { WebhookSecretView } from './webhook-secret';

/** What the dialog shows besides the list. */
type Step =
  | { kind: 'list' }
  | { kind: 'add' }
  | { kind: 'secret'; created: WebhookSecret; reason: 'created' | 'rotated' }
  | { kind: 'rotate'; endpoint: WebhookEndpoint }
  | { kind: 'delete'; endpoint: WebhookEndpoint };

/** A connection's webhook endpoints: where its delivery events go, signed, retried for 24 hours. */
export function WebhooksModal({ connection, onClose }: { connection: Connection; onClose: () => void }) {
  const list = useRelaydesk((s) => s.webhooks.list);
  const error = useRelaydesk((s) => s.webhooks.error);
  const load = useRelaydesk((s) => s.loadWebhooks);
  const close = useRelaydesk((s) => s.closeWebhooks);
  const upsertWebhook = useRelaydesk((s) => s.upsertWebhook);
  const removeWebhook = useRelaydesk((s) => s.removeWebhook);
  const [step, setStep] = useState<Step>({ kind: 'list' });
  const back = () => setStep({ kind: 'list' });

  useEffect(() => {
    void load(connection.id);
    return () => close();
  }, [connection.id, load, close]);

  return (
    <>
      <AppModal
        opened
        onClose={onClose}
        // The secret cannot be shown again: a stray click outside must not lose it.
        closeOnClickOutside={step.kind !== 'secret'}
        closeOnEscape={step.kind !== 'secret'}
        withCloseButton={step.kind !== 'secret'}
        title={`Webhooks of ${connection.name}`}
        size="xl"
      >
        {step.kind === 'secret' ? (
          <WebhookSecretView created={step.created} reason={step.reason} onDone={back} />
        ) : step.kind === 'add' ? (
          <WebhookForm
            connectionId={connection.id}
            onCreated={(created) => setStep({ kind: 'secret', created, reason: 'created' })}
            onCancel={back}
          />
        ) : (
          <Stack gap="sm">
            <Text size="sm">
              Relaydesk tells {connection.name} what became of its mail: each event is POSTed as signed JSON
              to every endpoint below, and retried for 24 hours until the receiver answers 2xx.
            </Text>
            {error && (
              <Alert color="red" title="Could not load the webhook endpoints">
                {error}
              </Alert>
            )}
            {list === null ? (
              !error && <Loader size="sm" />
            ) : list.length === 0 ? (
              <Text size="sm" c="dimmed">
                No endpoints yet.
              </Text>
            ) : (
              list.map((e) => (
                <WebhookEndpointCard
                  key={e.id}
                  endpoint={e}
                  onRotate={(endpoint) => setStep({ kind: 'rotate', endpoint })}
                  onDelete={(endpoint) => setStep({ kind: 'delete', endpoint })}
                />
              ))
            )}
            <Group justify="space-between">
              <Button variant="light" onClick={() => setStep({ kind: 'add' })}>
                Add endpoint
              </Button>
              <Button variant="default" onClick={onClose}>
                Close
              </Button>
            </Group>
          </Stack>
        )}
      </AppModal>
      {step.kind === 'rotate' && (
        <ConfirmModal
          title="Rotate the signing secret?"
          confirmLabel="Rotate secret"
          color="orange"
          failure="Could not rotate the secret"
          onClose={back}
          onConfirm={async () => {
            const rotated = await api.call('webhooks.rotateSecret', { id: step.endpoint.id });
            upsertWebhook(rotated.endpoint);
            setStep({ kind: 'secret', created: rotated, reason: 'rotated' });
          }}
        >
          <Text size="sm">
            Relaydesk makes a new secret and shows it once. Events are signed with it from now on: the
            receiver at {step.endpoint.url} must check with the new secret.
          </Text>
        </ConfirmModal>
      )}
      {step.kind === 'delete' && (
        <ConfirmModal
          title="Delete this webhook endpoint?"
          confirmLabel="Delete"
          failure="Could not delete the endpoint"
          onClose={back}
          onConfirm={async () => {
            await api.call('webhooks.delete', { id: step.endpoint.id });
            removeWebhook(step.endpoint.id);
            back();
          }}
        >
          <Text size="sm">
            {step.endpoint.url} gets no more events; events still waiting for it and its history are removed.
          </Text>
        </ConfirmModal>
      )}
    </>
  );
}
