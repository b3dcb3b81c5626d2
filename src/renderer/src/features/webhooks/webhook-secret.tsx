import { Alert, Code, Group, Stack, Text } from '@mantine/core';
import type { WebhookSecret } from '@shared/domain/webhook';
import { CopyValue } from '../../components/copy-value';
import { SecretCopiedDone } from '../../components/secret-modal';

/** The signing secret, shown this once (after create or rotate), with how receivers use it. */
export function WebhookSecretView({
  created,
  reason,
  onDone,
}: {
  created: WebhookSecret;
  reason: 'created' | 'rotated';
  onDone: () => void;
}) {
  return (
    <Stack gap="sm">
      <Text size="sm">
        {reason === 'created'
          ? `Relaydesk now sends events to ${created.endpoint.url}.`
          : `The old secret no longer signs events for ${created.endpoint.url}.`}{' '}
        Every request carries a <Code>Relaydesk-Signature</Code> header made with this secret; the receiver
        checks it (see the README, "Webhooks").
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code fz="sm" data-testid="webhook-secret" style={{ wordBreak: 'break-all' }}>
          {created.secret}
        </Code>
        <CopyValue value={created.secret} label="signing secret" />
      </Group>
      <Alert color="yellow" title="Copy the signing secret now">
        It is shown only this once. If it is lost, rotate the secret to get a new one and enter that in the
        receiver.
      </Alert>
      <SecretCopiedDone what="signing secret" onDone={onDone} />
    </Stack>
  );
}
