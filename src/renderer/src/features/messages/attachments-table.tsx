import { Badge, Button, Table, Text } from '@mantine/core';
import { formatBytes } from '@shared/domain/format';
import type { AttachmentInfo } from '@shared/domain/message';
import { api } from '../../api/client';
import { downloadBase64 } from '../../components/download';
import { notifyError } from '../../components/notify';
import { TableHead } from '../../components/table-head';

async function download(messageId: string, index: number) {
  try {
    const a = await api.call('messages.attachment', { id: messageId, index });
    downloadBase64(a.filename, a.contentType, a.base64);
  } catch (err) {
    notifyError('Could not download the attachment', err);
  }
}

export function AttachmentsTable({
  messageId,
  attachments,
}: {
  messageId: string;
  attachments: AttachmentInfo[];
}) {
  if (attachments.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        This mail has no attachments.
      </Text>
    );
  }
  return (
    <Table striped withTableBorder data-testid="attachments">
      <TableHead columns={['Name', 'Type', 'Size', '']} />
      <Table.Tbody>
        {attachments.map((a) => (
          <Table.Tr key={a.index} data-testid="attachment">
            <Table.Td style={{ wordBreak: 'break-all' }}>
              {a.filename}{' '}
              {a.inline && (
                <Badge size="xs" variant="light" color="gray">
                  inline
                </Badge>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="sm" ff="monospace">
                {a.contentType}
              </Text>
            </Table.Td>
            <Table.Td>{formatBytes(a.size)}</Table.Td>
            <Table.Td>
              <Button size="xs" variant="default" onClick={() => void download(messageId, a.index)}>
                Download
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
