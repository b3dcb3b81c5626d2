import { Alert, Loader, ScrollArea, Tabs, Text } from '@mantine/core';
import type { MessageContent } from '@shared/domain/message';
import { AttachmentsTable } from './attachments-table';
import { HtmlPreview } from './html-preview';

/** The tabs of the mail's content: preview, text part, attachments. */
export function MessageBodyTabs({ content }: { content: MessageContent | null }) {
  return (
    <>
      <Tabs.Tab value="preview">Preview</Tabs.Tab>
      <Tabs.Tab value="text">Text</Tabs.Tab>
      <Tabs.Tab value="attachments">Attachments{content ? ` (${content.attachments.length})` : ''}</Tabs.Tab>
    </>
  );
}

export function MessageBodyPanels({
  id,
  content,
  error,
}: {
  id: string;
  content: MessageContent | null;
  error: string | null;
}) {
  const body = (render: (c: MessageContent) => React.ReactNode) =>
    error ? (
      <Alert color="red" title="Could not read the stored mail">
        {error}
      </Alert>
    ) : content ? (
      render(content)
    ) : (
      <Loader size="sm" />
    );
  return (
    <>
      <Tabs.Panel value="preview" pt="md">
        {body((c) =>
          c.html !== null ? (
            <HtmlPreview html={c.html} remoteResources={c.remoteResources} />
          ) : (
            <Text size="sm" c="dimmed">
              This mail has no HTML part; its text is under Text.
            </Text>
          ),
        )}
      </Tabs.Panel>
      <Tabs.Panel value="text" pt="md">
        {body((c) =>
          c.text ? (
            <ScrollArea.Autosize mah="60vh" type="auto">
              <Text
                component="pre"
                size="sm"
                m={0}
                style={{ whiteSpace: 'pre-wrap' }}
                data-testid="message-text"
              >
                {c.text}
              </Text>
            </ScrollArea.Autosize>
          ) : (
            <Text size="sm" c="dimmed">
              This mail has no text part.
            </Text>
          ),
        )}
      </Tabs.Panel>
      <Tabs.Panel value="attachments" pt="md">
        {body((c) => (
          <AttachmentsTable messageId={id} attachments={c.attachments} />
        ))}
      </Tabs.Panel>
    </>
  );
}
