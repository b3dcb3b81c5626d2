import {
  Badge,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { formatBytes } from '@shared/domain/format';
import type { SettingEntry } from '@shared/domain/settings';
import type { DraftValue } from './setting-values';

interface Props {
  entry: SettingEntry;
  draft: DraftValue;
  error: string | undefined;
  changed: boolean;
  onChange: (value: DraftValue) => void;
}

/** One setting: an input chosen by its type, labelled in plain words with its raw key small beside, its unit shown. */
export function SettingField({ entry, draft, error, changed, onChange }: Props) {
  const label = (
    <Group gap={8} component="span" wrap="wrap" style={{ display: 'inline-flex' }}>
      <Text span size="sm" fw={600}>
        {entry.label}
      </Text>
      <Text span size="xs" c="dimmed" ff="monospace" data-testid="setting-key">
        {entry.key}
      </Text>
    </Group>
  );
  const description = entry.description;
  const field = (() => {
    if (entry.secret) {
      return (
        <PasswordInput
          label={label}
          description={description}
          value={String(draft)}
          onChange={(e) => onChange(e.currentTarget.value)}
          // A stored secret is never sent back; typing replaces it.
          placeholder={entry.secretSet ? 'stored (type to replace)' : '(not set)'}
          error={error}
          styles={{ wrapper: { maxWidth: 420 } }}
        />
      );
    }
    if (entry.choices) {
      return (
        <Select
          label={label}
          description={description}
          data={entry.choices}
          value={String(draft)}
          onChange={(v) => onChange(v ?? String(entry.default))}
          allowDeselect={false}
          error={error}
          styles={{ wrapper: { maxWidth: 300 } }}
        />
      );
    }
    switch (entry.type) {
      case 'integer':
        return (
          <NumberInput
            label={label}
            description={description}
            value={typeof draft === 'boolean' ? '' : draft}
            onChange={(v) => onChange(v)}
            min={entry.min}
            max={entry.max}
            allowDecimal={false}
            // The relay checks the range and says what is allowed; clamping would hide a typo.
            clampBehavior="none"
            error={error}
            rightSection={entry.unit && <UnitLabel unit={entry.unit} />}
            rightSectionWidth={entry.unit ? unitWidth(entry.unit) : undefined}
            rightSectionPointerEvents="none"
            styles={{ wrapper: { maxWidth: 360 } }}
          />
        );
      case 'boolean':
        return (
          <Switch
            label={label}
            description={description}
            checked={draft === true}
            onChange={(e) => onChange(e.currentTarget.checked)}
            error={error}
          />
        );
      case 'routeMap':
        return (
          <Textarea
            label={label}
            description={`${description} One route per line: domain = host:port.`}
            value={String(draft)}
            onChange={(e) => onChange(e.currentTarget.value)}
            autosize
            minRows={2}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            error={error}
          />
        );
      default:
        return (
          <TextInput
            label={label}
            description={description}
            value={String(draft)}
            onChange={(e) => onChange(e.currentTarget.value)}
            placeholder={entry.default === '' ? '(empty)' : String(entry.default)}
            error={error}
            styles={{ wrapper: { maxWidth: 560 } }}
          />
        );
    }
  })();

  return (
    <Paper withBorder p="md" data-testid="setting" data-setting-key={entry.key}>
      <Stack gap={6}>
        {(entry.restartRequired || entry.overridden || changed || entry.pendingRestart) && (
          <Group gap="xs">
            {changed && (
              <Badge color="blue" variant="light" size="sm">
                changed
              </Badge>
            )}
            {entry.restartRequired && (
              <Badge color="orange" variant="light" size="sm">
                takes effect after restart
              </Badge>
            )}
            {entry.pendingRestart && (
              <Badge color="orange" variant="filled" size="sm">
                saved, waiting for restart
              </Badge>
            )}
            {entry.overridden && (
              <Badge color="grape" variant="light" size="sm">
                set by command-line flag
              </Badge>
            )}
          </Group>
        )}
        {field}
        {entry.unit === 'bytes' && typeof draft === 'number' && draft > 0 && (
          <Text size="xs" c="dimmed" data-testid="setting-amount">
            = {formatBytes(draft)}
          </Text>
        )}
        {entry.overridden && (
          <Text size="xs" c="dimmed">
            This run uses the value given by a command-line flag or RELAYDESK_* variable. A value saved here
            is stored and applies when Relaydesk starts without that flag.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function UnitLabel({ unit }: { unit: string }) {
  return (
    <Text size="xs" c="dimmed" pr="xs" style={{ whiteSpace: 'nowrap' }}>
      {unit}
    </Text>
  );
}

/** Room for the unit (it takes the place of the up/down arrows). */
function unitWidth(unit: string): number {
  return 16 + unit.length * 7;
}
