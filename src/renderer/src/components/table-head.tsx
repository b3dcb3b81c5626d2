import { Table } from '@mantine/core';

/** A table's header row from its column titles ('' for a column without one, e.g. actions). */
export function TableHead({ columns }: { columns: readonly string[] }) {
  return (
    <Table.Thead>
      <Table.Tr>
        {columns.map((c, i) => (
          // Titles may repeat or be empty, so the position is the key.
          // biome-ignore lint/suspicious/noArrayIndexKey: the columns never move
          <Table.Th key={i}>{c}</Table.Th>
        ))}
      </Table.Tr>
    </Table.Thead>
  );
}
