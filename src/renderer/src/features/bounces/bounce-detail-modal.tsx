import { Button, Code, Group, ScrollArea, Stack, Text } from '@mantine/core';
import type { BounceDetail } from '@shared/domain/bounce';
import { formatTime } from '@shared/domain/format';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { errorMessage } from '../../api/error-message';
import { AppModal } from '../../components/app-modal';
import { useRelaydesk } from '../../store';
import { BounceFacts } from './bounce-facts';
import { ReasonBadge } from './reason-badge';

export function BounceDetailModal({ id, onClose }: { id: number; onClose: () => void }) {
  const openMessage = useRelaydesk((s) => s.openMessage);
  const [detail, setDetail] = useState<BounceDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call('bounces.get', { id }).then(setDetail, (err: unknown) => setError(errorMessage(err)));
  }, [id]);

  return (
    <AppModal opened onClose={onClose} title={detail ? `${detail.recipient}` : 'Bounce'} size="xl">
      {error && <Text c="red">{error}</Text>}
      {detail && (
        <Stack gap="sm" data-testid="bounce-detail">
          <Group gap="xs">
            <ReasonBadge reason={detail.reason} hard={detail.hard} />
            <Text size="sm">
              {detail.origin === 'sync' ? 'Refused during delivery' : 'Reported afterwards'} ·{' '}
              {formatTime(detail.at)}
            </Text>
          </Group>
          <Text size="sm" fw={500}>
            {detail.explanation}
          </Text>
          <BounceFacts facts={detail} />
          {detail.messageId && (
            <Group gap="xs">
              <Text size="sm">
                Original: {detail.subject || '(no subject)'} · {detail.connectionName}
              </Text>
              <Button
                size="xs"
                variant="light"
                onClick={() => {
                  onClose();
                  openMessage(detail.messageId ?? '');
                }}
              >
                Open message
              </Button>
            </Group>
          )}
          {detail.rawReport && (
            <>
              <Text size="sm" fw={500}>
                The report as received
              </Text>
              <ScrollArea h={300} type="auto">
                <Code block fz="xs" data-testid="bounce-raw" style={{ whiteSpace: 'pre-wrap' }}>
                  {detail.rawReport}
                </Code>
              </ScrollArea>
            </>
          )}
        </Stack>
      )}
    </AppModal>
  );
}
