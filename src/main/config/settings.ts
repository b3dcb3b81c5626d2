import { AppError } from '@shared/api/errors';
import { checkSettingValue } from '@shared/domain/setting-check';
import { presentationOf } from '@shared/domain/setting-groups';
import type { SettingEntry, SettingValue } from '@shared/domain/settings';
import type { SettingsRepo } from '../store/settings-repo';
import { isSealed, type SecretBox } from './secret-box';
import {
  isSettingKey,
  SETTING_KEYS,
  SETTINGS,
  type SettingDef,
  type SettingKey,
  type Settings,
} from './settings-schema';

/** Checks one value against its definition; returns the normalised value or a message saying what is expected. */
export function checkSetting(key: SettingKey, value: unknown): { value: SettingValue } | { error: string } {
  const def = SETTINGS[key] as SettingDef<SettingValue>;
  const checked = checkSettingValue(def, value);
  if ('error' in checked) return checked;
  const problem = def.check?.(checked.value);
  return problem ? { error: problem } : checked;
}

/**
 * Current settings: defaults, overlaid by stored values, overlaid by this run's overrides
 * (command-line flags and RELAYDESK_* variables, which are never stored).
 */
export class SettingsService {
  private stored: Partial<Settings> = {};
  /** What restart-bound settings were when this run started: the values the engine runs with. */
  private readonly atStart: Partial<Settings> = {};
  private readonly listeners = new Set<(changed: SettingKey[]) => void>();
  /** Secrets in the store this run could not open (sealed by another scheme or key). */
  readonly unreadableSecrets: SettingKey[] = [];
  /** Secrets found in clear (written before they were sealed) and sealed now. */
  readonly sealedAtStart: SettingKey[] = [];

  /**
   * Secret settings are kept sealed by `secrets` in the store and in clear only in memory;
   * without a box (unit tests of the schema) they are stored as given.
   */
  constructor(
    private readonly repo: SettingsRepo,
    private readonly overrides: Partial<Settings> = {},
    private readonly secrets?: SecretBox,
    /** Restart-bound values kept from the previous run because a saved one could not be used: still waiting. */
    private readonly heldBack: Partial<Settings> = {},
  ) {
    const reseal: Record<string, SettingValue> = {};
    for (const [key, raw] of this.repo.all()) {
      if (!isSettingKey(key)) continue;
      let value = raw;
      if (this.isSecret(key) && typeof raw === 'string' && raw !== '' && this.secrets) {
        if (isSealed(raw)) {
          value = this.secrets.open(raw);
          if (value === undefined) {
            this.unreadableSecrets.push(key);
            continue;
          }
        } else {
          reseal[key] = raw;
          this.sealedAtStart.push(key);
        }
      }
      const checked = checkSetting(key, value);
      if ('value' in checked) (this.stored as Record<string, SettingValue>)[key] = checked.value;
    }
    if (this.sealedAtStart.length > 0) this.repo.save(this.sealed(reseal));
    for (const key of SETTING_KEYS) {
      if (this.needsRestart(key)) (this.atStart as Record<string, SettingValue>)[key] = this.get(key);
    }
  }

  private needsRestart(key: SettingKey): boolean {
    return (SETTINGS[key] as SettingDef<SettingValue>).restartRequired === true;
  }

  /** A restart-bound setting saved with another value than this run uses (an override keeps its value). */
  private pendingRestart(key: SettingKey): boolean {
    if (!this.needsRestart(key) || this.overrides[key] !== undefined) return false;
    const stored = this.stored[key] ?? SETTINGS[key].default;
    return JSON.stringify(stored) !== JSON.stringify(this.atStart[key]);
  }

  private isSecret(key: SettingKey): boolean {
    return (SETTINGS[key] as SettingDef<SettingValue>).secret === true;
  }

  /** The values as they go to the store: secrets sealed. */
  private sealed(values: Record<string, SettingValue>): Record<string, SettingValue> {
    const box = this.secrets;
    if (!box) return values;
    return Object.fromEntries(
      Object.entries(values).map(([key, value]) => [
        key,
        isSettingKey(key) && this.isSecret(key) && typeof value === 'string' && value !== ''
          ? box.seal(value)
          : value,
      ]),
    );
  }

  get<K extends SettingKey>(key: K): Settings[K] {
    return (this.overrides[key] ??
      this.heldBack[key] ??
      this.stored[key] ??
      SETTINGS[key].default) as Settings[K];
  }

  /** The restart-bound settings this run uses: what a restart falls back to when a saved value cannot be used. */
  inUseUntilRestart(): Partial<Settings> {
    return { ...this.atStart };
  }

  entries(): SettingEntry[] {
    return SETTING_KEYS.map((key) => {
      const def = SETTINGS[key] as SettingDef<SettingValue>;
      // A held-back value is in use, but the field shows the saved one that waits.
      const value = key in this.heldBack ? (this.stored[key] ?? def.default) : this.get(key);
      const shown = presentationOf(key);
      return {
        key,
        type: def.type,
        description: def.description,
        default: def.default,
        value: def.secret ? '' : value,
        restartRequired: this.needsRestart(key),
        overridden: this.overrides[key] !== undefined,
        ...(def.min !== undefined ? { min: def.min } : {}),
        ...(def.max !== undefined ? { max: def.max } : {}),
        ...(def.choices ? { choices: [...def.choices] } : {}),
        ...(def.secret ? { secret: true, secretSet: value !== '' } : {}),
        label: shown.label,
        group: shown.group,
        ...(shown.unit ? { unit: shown.unit } : {}),
        pendingRestart: this.pendingRestart(key),
      };
    });
  }

  /** Validates every value first; stores all or nothing. */
  update(values: Record<string, unknown>): SettingKey[] {
    const accepted = this.validate(values);
    this.repo.save(this.sealed(accepted));
    Object.assign(this.stored, accepted);
    const changed = Object.keys(accepted) as SettingKey[];
    for (const key of changed) {
      const unreadable = this.unreadableSecrets.indexOf(key);
      if (unreadable >= 0) this.unreadableSecrets.splice(unreadable, 1);
    }
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
