import { describe, expect, it } from 'vitest';
import { SettingsService } from '../../src/main/config/settings';
import { SETTING_KEYS, SETTINGS } from '../../src/main/config/settings-schema';
import { openStore } from '../../src/main/store/store';

const fresh = (overrides = {}) => {
  const store = openStore(':memory:');
  return { store, settings: new SettingsService(store.settings, overrides) };
};

describe('settings', () => {
  it('gives every key a type, a description and a default', () => {
    for (const key of SETTING_KEYS) {
      const def = SETTINGS[key];
      expect(def.description.length, key).toBeGreaterThan(20);
      expect(['string', 'integer', 'boolean', 'hostPort', 'routeMap']).toContain(def.type);
      expect(def.default, key).toBeDefined();
    }
  });

  it('starts from the defaults: port 2525, 30 MiB, 50 recipients, lockout 10 in 10 minutes for 15', () => {
    const { settings } = fresh();
    expect(settings.get('smtp.port')).toBe(2525);
    expect(settings.get('smtp.maxMessageBytes')).toBe(30 * 1024 * 1024);
    expect(settings.get('smtp.maxRecipients')).toBe(50);
    expect(settings.get('smtp.authFailureLimit')).toBe(10);
    expect(settings.get('smtp.authFailureWindowMinutes')).toBe(10);
    expect(settings.get('smtp.lockoutMinutes')).toBe(15);
  });

  it('stores updates, and a new service over the same store sees them', () => {
    const { store, settings } = fresh();
    settings.update({ 'smtp.maxRecipients': 20, 'smtp.publicHost': ' relay.office.lan ' });
    const again = new SettingsService(store.settings);
    expect(again.get('smtp.maxRecipients')).toBe(20);
    expect(again.get('smtp.publicHost')).toBe('relay.office.lan');
  });

  it('saves nothing when one value is bad, and names each bad key', () => {
    const { settings } = fresh();
    let error: unknown;
    try {
      settings.update({
        'smtp.maxRecipients': 0,
        'smtp.port': 'abc',
        'smtp.colour': 'red',
        'smtp.lockoutMinutes': 30,
      });
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({
      code: 'invalid_params',
      fields: {
        'smtp.maxRecipients': 'must be at least 1',
        'smtp.port': 'must be a whole number',
        'smtp.colour': expect.stringMatching(/not a Relaydesk setting/),
      },
    });
    expect(settings.get('smtp.lockoutMinutes')).toBe(15);
  });

  it("lets this run's flags override stored values without storing them", () => {
    const { store, settings } = fresh({ 'smtp.port': 0 });
    settings.update({ 'smtp.port': 2600 });
    expect(settings.get('smtp.port')).toBe(0);
    expect(settings.entries().find((e) => e.key === 'smtp.port')).toMatchObject({
      value: 0,
      overridden: true,
    });
    expect(new SettingsService(store.settings).get('smtp.port')).toBe(2600);
  });
});
