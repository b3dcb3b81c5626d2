import { describe, expect, it } from 'vitest';
import { parseRunOptions, UsageError } from '../../src/main/config/cli';

describe('headless flags', () => {
  it('reads flags, in both --flag value and --flag=value form', () => {
    expect(
      parseRunOptions(['--data-dir', '/tmp/x', '--smtp-port=0', '--console-host', '0.0.0.0'], {}),
    ).toEqual({
      dataDir: '/tmp/x',
      overrides: { 'smtp.port': 0, 'console.host': '0.0.0.0' },
    });
  });

  it('reads RELAYDESK_* variables, and flags win over them', () => {
    const env = {
      RELAYDESK_SMTP_PORT: '2526',
      RELAYDESK_DATA_DIR: '/env/dir',
      RELAYDESK_CONSOLE_PORT: '9000',
    };
    expect(parseRunOptions(['--console-port', '9001'], env)).toEqual({
      dataDir: '/env/dir',
      overrides: { 'smtp.port': 2526, 'console.port': 9001 },
    });
  });

  it('refuses an unknown flag, a missing value and a bad port with a message that says what is expected', () => {
    expect(() => parseRunOptions(['--smtp-prot', '25'], {})).toThrow(UsageError);
    expect(() => parseRunOptions(['--smtp-port'], {})).toThrow(/needs a value/);
    expect(() => parseRunOptions(['--smtp-port', '70000'], {})).toThrow(/port number from 0 to 65535/);
  });

  it('skips switches that are not its own when asked to (Electron adds some)', () => {
    expect(
      parseRunOptions(['--no-sandbox', '--smtp-port', '2600'], {}, { ignoreUnknown: true }).overrides,
    ).toEqual({
      'smtp.port': 2600,
    });
  });
});
