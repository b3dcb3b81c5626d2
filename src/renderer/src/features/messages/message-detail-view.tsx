import { Alert, Anchor, Button, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import type { MessageDetail } from '@shared/domain/message';
import { useEffect, useState } from 'react';
import { messageHref } from '../../app/routes';
import { CopyValue } from '../../components/copy-value';
import { StatusBadge } from '../../components/status-badge';
import { useRelaydesk } from '../../store';
import { CancelDeliveryModal } from '../queue/cancel-delivery-modal';
import { retryMessage } from '../queue/queue-actions';
import { AttemptTimeline } from './attempt-timeline';
import { DkimResults } from './dkim-results';
import { EventTimeline } from './event-timeline';
import { HeadersTable } from './headers-table';
import { MessageBodyPanels, MessageBodyTabs } from './message-body-tabs';
import { MessageBounces } from './message-bounces';
import { MessageFacts } from './message-facts';
import { RawSource } from './raw-source';
import { RecipientTable } from './recipient-table';
import { ReleaseModal } from './release-modal';
import { useMessageContent } from './use-message-content';

/** One message in full, in place of the list; Back (or Esc) returns to the list where it was. */
export function MessageDetailView({ id }: { id: string }) {
  const detail = useRelaydesk((s) => (s.detail?.id === id ? s.detail : null));
  const loadMessageDetail = useRelaydesk((s) => s.loadMessageDetail);
  const closeMessage = useRelaydesk((s) => s.closeMessage);
  const content = useMessageContent(id);

  useEffect(() => {
    void loadMessageDetail(id);
  }, [id, loadMessageDetail]);

  const message = detail?.message;
  return (
    <Stack gap="sm" style={{ flex: 1, minHeight: 0, overflow: 'auto' }}>
      <Group>
        <Button variant="default" size="xs" onClick={closeMessage}>
          ← Back
        </Button>
        <Anchor href={messageHref(id)} size="xs" c="dimmed" ff="monospace" title="The link to this message">
          {id}
        </Anchor>
        <CopyValue
          value={window.location.href.split('#')[0] + messageHref(id)}
          label="link to this message"
        />
      </Group>
      {detail?.error && (
        <Alert color="red" title="Could not load this message">
          {detail.error}
        </Alert>
      )}
      {!message ? (
        !detail?.error && <Loader size="sm" />
      ) : (
        <>
          <Group gap="sm" wrap="nowrap" align="center">
            <Title order={3} data-testid="message-subject" style={{ wordBreak: 'break-word' }}>
              {message.subject || '(no subject)'}
            </Title>
            <StatusBadge status={message.status} />
          </Group>
          <MessageFacts message={message} />
          {content.content?.available && (
            <Group gap="xs">
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                DKIM of the stored mail
              </Text>
              <DkimResults checks={content.content.dkim} />
            </Group>
          )}
          {content.content?.notice && (
            <Alert color="yellow" title="Not all of this mail is shown" data-testid="content-notice">
              {content.content.notice}
            </Alert>
          )}
          {!message.bodyAvailable && (
            <Alert color="gray" data-testid="body-purged">
              The body of this mail was removed after the retention period (Settings → retention.bodyDays).
              What happened to it is still shown below.
            </Alert>
          )}
          <MessageActions message={message} />
          <Tabs defaultValue={message.bodyAvailable ? 'preview' : 'delivery'} keepMounted={false}>
            <Tabs.List>
              {message.bodyAvailable && <MessageBodyTabs content={content.content} />}
              <Tabs.Tab value="delivery">
                Recipients &amp; attempts
                {message.bounces.length > 0 ? ` · ${message.bounces.length} bounce(s)` : ''}
              </Tabs.Tab>
              <Tabs.Tab value="headers">Headers ({message.headers.length})</Tabs.Tab>
              {message.bodyAvailable && <Tabs.Tab value="raw">Raw source</Tabs.Tab>}
            </Tabs.List>
            {message.bodyAvailable && <MessageBodyPanels id={message.id} {...content} />}
            <Tabs.Panel value="delivery" pt="md">
              <Stack>
                <RecipientTable recipients={message.recipientStates} />
                <MessageBounces bounces={message.bounces} />
                <Title order={5}>Delivery attempts</Title>
                <AttemptTimeline attempts={message.attempts} />
                <Title order={5}>Events</Title>
                <EventTimeline events={message.events} />
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="headers" pt="md">
              <HeadersTable headers={message.headers} />
            </Tabs.Panel>
            <Tabs.Panel value="raw" pt="md">
              <RawSource id={message.id} />
            </Tabs.Panel>
          </Tabs>
        </>
      )}
    </Stack>
  );
}

/** Queue control for this message: what applies to its recipients' states. */
function MessageActions({ message }: { message: MessageDetail }) {
  const waiting = message.recipientStates.some((r) => r.status === 'queued' || r.status === 'deferred');
  const captured = message.recipientStates.some((r) => r.status === 'captured');
  const [releasing, setReleasing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  if (!waiting && !captured) return null;
  return (
    <Group gap="xs">
      {waiting && (
        <>
          <Button size="xs" variant="light" onClick={() => void retryMessage(message.id)}>
            Retry now
          </Button>
          <Button size="xs" variant="light" color="red" onClick={() => setCancelling(true)}>
            Cancel delivery
          </Button>
        </>
      )}
      {captured && message.bodyAvailable && (
        <Button size="xs" variant="light" color="violet" onClick={() => setReleasing(true)}>
          Release to delivery
        </Button>
      )}
      {cancelling && <CancelDeliveryModal messageId={message.id} onClose={() => setCancelling(false)} />}
      {releasing && <ReleaseModal message={message} onClose={() => setReleasing(false)} />}
    </Group>
  );
}
