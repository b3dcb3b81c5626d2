import { Button, Group, MultiSelect, Stack, Switch, TextInput } from '@mantine/core';
import {
  type Connection,
  type ConnectionMode,
  connectionNameProblem,
  type SmtpAccess,
} from '@shared/domain/connection';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import { splitFieldErrors } from '../../api/error-message';
import { AppModal } from '../../components/app-modal';
import { notifyError, notifySuccess } from '../../components/notify';
import { useRelaydesk } from '../../store';
import { AnySenderField, HourlyLimitField, ModeField } from './connection-fields';

const FORM_FIELDS = ['name', 'mode', 'hourlyLimit', 'enabled', 'domainIds', 'acceptsAnySender'] as const;

interface Props {
  /** null: create a new connection; else edit this one. */
  connection: Connection | null;
  onClose: () => void;
  onCreated: (connection: Connection, access: SmtpAccess) => void;
}

/** Create a connection, or edit its name, mode and hourly limit. */
export function ConnectionFormModal({ connection, onClose, onCreated }: Props) {
  const upsertConnection = useRelaydesk((s) => s.upsertConnection);
  const [name, setName] = useState(connection?.name ?? '');
  const [mode, setMode] = useState<ConnectionMode>(connection?.mode ?? 'live');
  const [hourlyLimit, setHourlyLimit] = useState<number | ''>(connection?.hourlyLimit ?? '');
  const [enabled, setEnabled] = useState(connection?.enabled ?? true);
  const [anySender, setAnySender] = useState(connection?.acceptsAnySender ?? true);
  // Only a sandbox connection can accept any sender; for live the relay turns it off.
  const acceptsAnySender = mode === 'sandbox' ? anySender : undefined;
  const [domainIds, setDomainIds] = useState<string[]>(connection?.domainIds ?? []);
  const domains = useRelaydesk((s) => s.domains.list) ?? [];
  const connections = useRelaydesk((s) => s.connections.list) ?? [];
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const nameTaken = connectionNameProblem(connections, name, connection?.id);
    if (nameTaken) return setErrors({ name: nameTaken });
    setSaving(true);
    setErrors({});
    // An empty limit field means "no limit of its own".
    const limit = hourlyLimit === '' ? null : hourlyLimit;
    try {
      if (connection) {
        const updated = await api.call('connections.update', {
          id: connection.id,
          name,
          mode,
          hourlyLimit: limit,
          domainIds,
          acceptsAnySender,
        });
        upsertConnection(updated);
        notifySuccess(`Saved ${updated.name}.`);
        onClose();
      } else {
        const created = await api.call('connections.create', {
          name,
          mode,
          hourlyLimit: limit,
          enabled,
          domainIds,
          acceptsAnySender,
        });
        upsertConnection(created.connection);
        onCreated(created.connection, created.access);
      }
    } catch (err) {
      const { fields, other } = splitFieldErrors(err, FORM_FIELDS);
      setErrors(fields);
      if (other)
        notifyError(
          connection ? `Could not save ${connection.name}` : 'Could not create the connection',
          other,
        );
    } finally {
      setSaving(false);
    }
  };

  return (
    <AppModal
      opened
      onClose={onClose}
      title={connection ? `Edit ${connection.name}` : 'New connection'}
      size="md"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            description='What the sending system is, e.g. "Webshop" or "Booking system".'
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            data-autofocus
            maxLength={80}
          />
          <ModeField value={mode} onChange={setMode} error={errors.mode} />
          <AnySenderField
            mode={mode}
            checked={anySender}
            onChange={setAnySender}
            error={errors.acceptsAnySender}
          />
          <HourlyLimitField value={hourlyLimit} onChange={setHourlyLimit} error={errors.hourlyLimit} />
          <MultiSelect
            label="Sending domains"
            description="The From: domains this system may send from. Set them up under Domains & DKIM."
            data={domains.map((d) => ({ value: d.id, label: d.displayName }))}
            value={domainIds}
            onChange={setDomainIds}
            error={errors.domainIds}
            clearable
            searchable
          />
          {!connection && (
            <Switch
              label="Enabled"
              description="A disabled connection's logins are refused."
              checked={enabled}
              onChange={(e) => setEnabled(e.currentTarget.checked)}
              error={errors.enabled}
            />
          )}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              {connection ? 'Save changes' : 'Create connection'}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
