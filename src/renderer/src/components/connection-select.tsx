import { Select } from '@mantine/core';
import { useRelaydesk } from '../store';

/** A list filter by connection: "Any connection" (null) or one of them. */
export function ConnectionSelect({
  value,
  onChange,
  w = 170,
}: {
  value: string | null;
  onChange: (connectionId: string | null) => void;
  w?: number;
}) {
  const connections = useRelaydesk((s) => s.connections.list) ?? [];
  return (
    <Select
      label="Connection"
      data={[
        { value: '', label: 'Any connection' },
        ...connections.map((c) => ({ value: c.id, label: c.name })),
      ]}
      value={value ?? ''}
      onChange={(v) => onChange(v || null)}
      allowDeselect={false}
      w={w}
    />
  );
}
