import { checkSettingValue } from '@shared/domain/setting-check';
import { orderForPage, presentationOf, SETTING_GROUPS } from '@shared/domain/setting-groups';
import type { SettingEntry } from '@shared/domain/settings';
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

describe('settings as a person sees them', () => {
  it('gives every key a plain label and one of the named groups, and every count or duration its unit', () => {
    for (const entry of fresh().settings.entries()) {
      expect(entry.label, entry.key).not.toBe(entry.key);
      expect(entry.group, entry.key).not.toBe('other');
      expect(SETTING_GROUPS.map((g) => g.id)).toContain(entry.group);
      // A port number counts nothing; every other whole number is bytes, minutes, mails…
      if (entry.type === 'integer' && !entry.key.endsWith('.port'))
        expect(entry.unit, entry.key).toBeTruthy();
    }
  });

  it('orders keys for the page by group, and puts a key no group knows last under "Other settings"', () => {
    const ordered = orderForPage(['console.port', 'zz.new', 'retention.bodyDays', 'smtp.port']);
    expect(ordered).toEqual(['smtp.port', 'retention.bodyDays', 'console.port', 'zz.new']);
    expect(presentationOf('zz.new')).toEqual({ group: 'other', label: 'zz.new' });
  });

  it('marks a saved restart-bound value as waiting for a restart until it is set back', () => {
    const { store, settings } = fresh();
    const smtpHost = () => settings.entries().find((e) => e.key === 'smtp.host');
    expect(smtpHost()).toMatchObject({ restartRequired: true, pendingRestart: false });
    settings.update({ 'smtp.host': '0.0.0.0', 'smtp.maxRecipients': 20 });
    expect(smtpHost()?.pendingRestart).toBe(true);
    expect(settings.entries().find((e) => e.key === 'smtp.maxRecipients')?.pendingRestart).toBe(false);
    // The next start runs with it: nothing waits any more.
    expect(
      new SettingsService(store.settings).entries().find((e) => e.key === 'smtp.host')?.pendingRestart,
    ).toBe(false);
    settings.update({ 'smtp.host': '127.0.0.1' });
    expect(smtpHost()?.pendingRestart).toBe(false);
  });

  it('does not mark a value waiting for a restart while a flag sets it for this run', () => {
    const { settings } = fresh({ 'smtp.port': 0 });
    settings.update({ 'smtp.port': 2600 });
    expect(settings.entries().find((e) => e.key === 'smtp.port')?.pendingRestart).toBe(false);
  });

  it('lets the console check type, range and choices from an entry exactly as the relay does', () => {
    const entries = fresh().settings.entries();
    const entry = (key: string) => entries.find((e) => e.key === key) as SettingEntry;
    expect(checkSettingValue(entry('smtp.port'), 70000)).toEqual({ error: 'must be at most 65535' });
    expect(checkSettingValue(entry('smtp.maxRecipients'), '')).toEqual({ error: 'must be a whole number' });
    expect(checkSettingValue(entry('delivery.smarthostTls'), 'sometimes')).toEqual({
      error: 'must be one of starttls, opportunistic, implicit, none',
    });
    expect(checkSettingValue(entry('delivery.smarthost'), 'relay.example.net')).toEqual({
      error: 'must be host:port, e.g. relay.example.net:587',
    });
    expect(checkSettingValue(entry('smtp.lockoutMinutes'), 45)).toEqual({ value: 45 });
  });
});
