import type { MethodName } from './methods';

/** One line of purpose and the result's shape, per method: the source of docs/api.md. */
export const METHOD_DOCS: Record<MethodName, { summary: string; result: string }> = {
  'status.get': {
    summary: 'Relay listener (address, port, public host, TLS certificate fingerprint), counts, version.',
    result: 'RelayStatus',
  },
  'connections.list': { summary: 'All connected systems, with active/inactive.', result: 'Connection[]' },
  'connections.get': { summary: 'One connection.', result: 'Connection' },
  'connections.create': {
    summary:
      'New connection; returns the SMTP access data once (the password is stored only as a scrypt hash).',
    result: '{ connection: Connection, access: SmtpAccess }',
  },
  'connections.update': {
    summary: 'Rename, enable/disable, switch live/sandbox, set the hourly limit.',
    result: 'Connection',
  },
  'connections.delete': { summary: 'Remove a connection; its messages stay.', result: '{ id }' },
  'connections.rotatePassword': {
    summary: 'New password, returned once; the old one stops working at once.',
    result: '{ connection: Connection, access: SmtpAccess }',
  },
  'messages.search': {
    summary:
      'Messages newest first, filtered by text (subject, from, recipient, id), status, connection; paged by cursor.',
    result: '{ items: MessageSummary[], nextCursor: string | null }',
  },
  'messages.get': {
    summary: 'One message: envelope, client, headers, recipients with status, event timeline.',
    result: 'MessageDetail',
  },
  'messages.raw': {
    summary: 'The stored source (up to maxBytes), as it will be sent.',
    result: '{ id, raw, size, truncated }',
  },
  'settings.get': {
    summary: 'Every setting: type, description, default, current value.',
    result: 'SettingEntry[]',
  },
  'settings.update': {
    summary: 'Change settings; all values are checked first and nothing is saved if one is wrong.',
    result: 'SettingEntry[]',
  },
};
