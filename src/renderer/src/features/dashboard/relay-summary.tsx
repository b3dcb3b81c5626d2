import { Badge, Group, Paper, Text, Tooltip } from '@mantine/core';
import { type RelayStatus, relayAddress, shortFingerprint } from '@shared/domain/status';
import type { ReactNode } from 'react';
import { CopyValue } from '../../components/copy-value';
import { RelativeTime } from '../../components/relative-time';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Group gap={4} wrap="nowrap">
        {children}
      </Group>
    </div>
  );
}

/** Where shops connect, how the relay proves itself, and on which plan it runs. */
export function RelaySummary({ relay }: { relay: RelayStatus }) {
  const { smtp, quota } = relay;
  const tls = smtp.tls;
  return (
    <Paper withBorder p="md" data-testid="dashboard-relay">
      <Group gap="lg" align="flex-start">
        <Fact label="SMTP relay (STARTTLS, AUTH)">
          <Text
            ff="monospace"
            fw={600}
            size="sm"
            data-testid="dashboard-relay-address"
            title={`Shops connect to ${smtp.publicHost}:${smtp.port}`}
          >
            {relayAddress(smtp)}
          </Text>
          <CopyValue value={`${smtp.publicHost}:${smtp.port}`} label="server address for shops" />
        </Fact>
        <Fact label="TLS SHA-256">
          <Text ff="monospace" size="sm" title={tls.fingerprint256}>
            {shortFingerprint(tls.fingerprint256)}
          </Text>
          <CopyValue value={tls.fingerprint256} label="TLS fingerprint" />
          <Tooltip
            label={
              tls.source === 'generated'
                ? 'Self-signed by Relaydesk on first start'
                : `Your own certificate, valid until ${tls.validTo}`
            }
            withArrow
          >
            <Badge variant="light" color={tls.source === 'custom' ? 'green' : 'gray'} size="sm" tt="none">
              {tls.source === 'custom' ? 'own certificate' : 'self-signed'}
            </Badge>
          </Tooltip>
        </Fact>
        <Fact label="Bounce listener">
          <Text ff="monospace" size="sm">
            {relay.bounces ? relayAddress(relay.bounces) : 'off'}
          </Text>
        </Fact>
        <Fact label="Plan">
          <Badge
            variant="light"
            color={quota.onDemo ? 'orange' : 'blue'}
            size="sm"
            tt="none"
            data-testid="dashboard-plan"
          >
            {quota.onDemo ? 'demo' : 'quota block'}
          </Badge>
          {quota.rateLimitedUntil !== null && (
            <Badge variant="light" color="red" size="sm" tt="none">
              hourly limit reached
            </Badge>
          )}
        </Fact>
        <Fact label="Started">
          <Text size="sm">
            <RelativeTime at={relay.startedAt} />
          </Text>
        </Fact>
      </Group>
    </Paper>
  );
}
