import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import type { SettingEntry } from '@shared/domain/settings';
import { useEffect, useState } from 'react';
import { ApiCallError, api } from '../../api/client';
import { errorMessage } from '../../api/error-message';
import { notifyError, notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { useRelaydesk } from '../../store';
import { RestartNotice } from './restart-notice';
import { SettingField } from './setting-field';
import { checkDraft, type DraftValue, draftOf, sameValue, valueToSend } from './setting-values';
import { GroupLinks, groupEntries, SettingsSection } from './settings-section';

export function SettingsPage() {
  const entries = useRelaydesk((s) => s.settings.entries);
  const error = useRelaydesk((s) => s.settings.error);
  const loadSettings = useRelaydesk((s) => s.loadSettings);

  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);

  return (
    <Stack gap={0} style={{ flex: 1, minHeight: 0 }}>
      <PageHeader
        title="Settings"
        description="Everything configurable about this Relaydesk, grouped by what you are doing. Only changed values are saved; the small grey name is the key for the API."
      />
      {error && (
        <Alert color="red" mb="md" title="Could not load the settings">
          {error}
        </Alert>
      )}
      {entries && <RestartNotice entries={entries} />}
      {entries ? <SettingsForm entries={entries} /> : !error && <Loader size="sm" />}
    </Stack>
  );
}

function SettingsForm({ entries }: { entries: SettingEntry[] }) {
  const setSettingEntries = useRelaydesk((s) => s.setSettingEntries);
  /** Only the fields the user touched; the rest show the current value. */
  const [drafts, setDrafts] = useState<Record<string, DraftValue>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const isChanged = (entry: SettingEntry) => {
    const draft = drafts[entry.key];
    if (draft === undefined) return false;
    const v = valueToSend(entry, draft);
    return !('value' in v) || !sameValue(v.value, entry.value);
  };
  const changed = entries.filter(isChanged);
  const invalid = Object.keys(errors).length;

  const groups = groupEntries(entries);

  const save = async () => {
    const values: Record<string, unknown> = {};
    const local: Record<string, string> = {};
    for (const entry of changed) {
      const v = checkDraft(entry, drafts[entry.key] as DraftValue);
      if ('error' in v) local[entry.key] = v.error;
      else values[entry.key] = v.value;
    }
    setErrors(local);
    if (Object.keys(local).length > 0) {
      revealFirstError(Object.keys(local));
      return;
    }
    setSaving(true);
    try {
      const next = await api.call('settings.update', { values });
      setSettingEntries(next);
      setDrafts({});
      const needRestart = changed.filter((e) => e.restartRequired).map((e) => e.label);
      notifySuccess(
        `Saved ${changed.length} setting${changed.length === 1 ? '' : 's'}.${
          needRestart.length ? ` Restart Relaydesk for ${needRestart.join(', ')} to take effect.` : ''
        }`,
      );
    } catch (err) {
      if (err instanceof ApiCallError && err.fields) {
        setErrors(err.fields);
        revealFirstError(Object.keys(err.fields));
        const unknown = Object.keys(err.fields).filter((k) => !entries.some((e) => e.key === k));
        if (unknown.length)
          notifyError('Some settings were not saved', `${err.message} (${unknown.join(', ')})`);
      } else {
        notifyError('Could not save the settings', errorMessage(err));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      noValidate
      style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}
    >
      <GroupLinks groups={groups.map((g) => g.group)} />
      <div style={{ flex: 1, minHeight: 0, overflowY: 'auto' }}>
        <Stack gap="lg" pb="md">
          {groups.map(({ group, entries: inGroup }) => (
            <SettingsSection key={group.id} group={group}>
              {inGroup.map((entry) => (
                <SettingField
                  key={entry.key}
                  entry={entry}
                  draft={drafts[entry.key] ?? draftOf(entry)}
                  error={errors[entry.key]}
                  changed={isChanged(entry)}
                  onChange={(value) => {
                    setDrafts((d) => ({ ...d, [entry.key]: value }));
                    // Obviously wrong input is explained at once; the relay's own rules speak on save.
                    const checked = sameValue(value, draftOf(entry)) ? undefined : checkDraft(entry, value);
                    setErrors(({ [entry.key]: _, ...rest }) =>
                      checked && 'error' in checked ? { ...rest, [entry.key]: checked.error } : rest,
                    );
                  }}
                />
              ))}
            </SettingsSection>
          ))}
        </Stack>
      </div>
      <Group
        py="sm"
        style={{
          borderTop: '1px solid var(--mantine-color-default-border)',
        }}
      >
        <Button type="submit" loading={saving} disabled={changed.length === 0}>
          Save settings
        </Button>
        <Button
          variant="default"
          disabled={changed.length === 0 || saving}
          onClick={() => {
            setDrafts({});
            setErrors({});
          }}
        >
          Discard changes
        </Button>
        <Text size="sm" c="dimmed">
          {changed.length === 0 ? 'No changes.' : `${changed.length} changed.`}
          {invalid > 0 && ` ${invalid} to fix before saving.`}
        </Text>
      </Group>
    </form>
  );
}

/** A refused value may be scrolled out of sight: bring the first one into view. */
function revealFirstError(keys: string[]): void {
  requestAnimationFrame(() => {
    const first = [...document.querySelectorAll<HTMLElement>('[data-setting-key]')].find((el) =>
      keys.includes(el.dataset.settingKey ?? ''),
    );
    first?.scrollIntoView({ block: 'center', behavior: 'instant' });
  });
}
