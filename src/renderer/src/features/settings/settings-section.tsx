import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { orderForPage, SETTING_GROUPS, type SettingGroup } from '@shared/domain/setting-groups';
import type { SettingEntry } from '@shared/domain/settings';
import type { ReactNode } from 'react';

/** Entries by group, groups and keys in page order (see setting-groups.ts), empty groups left out. */
export function groupEntries(entries: SettingEntry[]): { group: SettingGroup; entries: SettingEntry[] }[] {
  const byKey = new Map(entries.map((e) => [e.key, e]));
  const ordered = orderForPage([...byKey.keys()]).map((key) => byKey.get(key) as SettingEntry);
  return SETTING_GROUPS.map((group) => ({
    group,
    entries: ordered.filter((e) => e.group === group.id),
  })).filter((g) => g.entries.length > 0);
}

const sectionId = (group: SettingGroup) => `settings-${group.id}`;

/** One group: a heading, a sentence on what it is for, its fields. */
export function SettingsSection({ group, children }: { group: SettingGroup; children: ReactNode }) {
  return (
    <section
      id={sectionId(group)}
      aria-labelledby={`${sectionId(group)}-title`}
      data-setting-group={group.id}
    >
      <Title order={3} id={`${sectionId(group)}-title`} size="h4">
        {group.title}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {group.help}
      </Text>
      <Stack gap="sm">{children}</Stack>
    </section>
  );
}

/** Jump links to each group, above the scrolling list. */
export function GroupLinks({ groups }: { groups: SettingGroup[] }) {
  return (
    <Group gap={4} mb="sm" aria-label="Setting groups" role="navigation">
      {groups.map((group) => (
        <Button
          key={group.id}
          size="compact-sm"
          variant="subtle"
          onClick={() =>
            document.getElementById(sectionId(group))?.scrollIntoView({ block: 'start', behavior: 'instant' })
          }
        >
          {group.title}
        </Button>
      ))}
    </Group>
  );
}
