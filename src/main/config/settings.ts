import { AppError } from '@shared/api/errors';
import type { SettingEntry, SettingValue } from '@shared/domain/settings';
import type { SettingsRepo } from '../store/settings-repo';
import { isSettingKey, SETTING_KEYS, SETTINGS, type SettingKey, type Settings } from './settings-schema';

/** Checks one value against its definition; returns the normalised value or a message saying what is expected. */
export function checkSetting(key: SettingKey, value: unknown): { value: SettingValue } | { error: string } {
  const def = SETTINGS[key];
  switch (def.type) {
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return { error: 'must be a whole number' };
      const { min, max } = def as { min?: number; max?: number };
      if (min !== undefined && value < min) return { error: `must be at least ${min}` };
      if (max !== undefined && value > max) return { error: `must be at most ${max}` };
      return { value };
    }
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { error: 'must be true or false' };
    default:
      return typeof value === 'string' ? { value: value.trim() } : { error: 'must be text' };
  }
}

/**
 * Current settings: defaults, overlaid by stored values, overlaid by this run's overrides
 * (command-line flags and RELAYDESK_* variables, which are never stored).
 */
export class SettingsService {
  private stored: Partial<Settings> = {};
  private readonly listeners = new Set<(changed: SettingKey[]) => void>();

  constructor(
    private readonly repo: SettingsRepo,
    private readonly overrides: Partial<Settings> = {},
  ) {
    for (const [key, value] of this.repo.all()) {
      if (!isSettingKey(key)) continue;
      const checked = checkSetting(key, value);
      if ('value' in checked) (this.stored as Record<string, SettingValue>)[key] = checked.value;
    }
  }

  get<K extends SettingKey>(key: K): Settings[K] {
    return (this.overrides[key] ?? this.stored[key] ?? SETTINGS[key].default) as Settings[K];
  }

  entries(): SettingEntry[] {
    return SETTING_KEYS.map((key) => {
      const def = SETTINGS[key] as (typeof SETTINGS)[SettingKey] & { min?: number; max?: number };
      return {
        key,
        type: def.type,
        description: def.description,
        default: def.default,
        value: this.get(key),
        restartRequired: 'restartRequired' in def && def.restartRequired === true,
        overridden: this.overrides[key] !== undefined,
        ...(def.min !== undefined ? { min: def.min } : {}),
        ...(def.max !== undefined ? { max: def.max } : {}),
      };
    });
  }

  /** Validates every value first; stores all or nothing. */
  update(values: Record<string, unknown>): SettingKey[] {
    const accepted = this.validate(values);
    this.repo.save(accepted);
    Object.assign(this.stored, accepted);
    const changed = Object.keys(accepted) as SettingKey[];
    for (const l of this.listeners) l(changed);
    return changed;
  }

  /** The normalised values, or an invalid_params error naming each bad key. */
  validate(values: Record<string, unknown>): Record<string, SettingValue> {
    const fields: Record<string, string> = {};
    const accepted: Record<string, SettingValue> = {};
    for (const [key, value] of Object.entries(values)) {
      if (!isSettingKey(key)) {
        fields[key] = 'is not a Relaydesk setting; see settings.get for the list';
        continue;
      }
      const checked = checkSetting(key, value);
      if ('error' in checked) fields[key] = checked.error;
      else accepted[key] = checked.value;
    }
    if (Object.keys(fields).length > 0) {
      throw new AppError(
        'invalid_params',
        'Some settings were not saved: fix the marked values and save again.',
        fields,
      );
    }
    return accepted;
  }

  onChange(listener: (changed: SettingKey[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
