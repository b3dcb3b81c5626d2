import type { SettingEntry } from '@shared/domain/settings';
import { describe, expect, it } from 'vitest';
import { consoleOriginAfterRestart } from '../../src/renderer/src/features/settings/restart-origin';

const waiting = (key: string, value: string | number) => ({ key, value }) as unknown as SettingEntry;
const here = { protocol: 'http:', hostname: 'relay.lan', port: '2580' };

describe('where the browser console is after a restart', () => {
  it('stays where it is when neither its address nor its port waits', () => {
    expect(consoleOriginAfterRestart([waiting('smtp.port', 2600)], here)).toBeNull();
  });

  it('moves to the saved port under the name in the address bar', () => {
    expect(consoleOriginAfterRestart([waiting('console.port', 8080)], here)).toBe('http://relay.lan:8080');
  });

  it('moves to a saved address, keeping the port, and keeps the typed name for all addresses', () => {
    expect(consoleOriginAfterRestart([waiting('console.host', '10.0.0.5')], here)).toBe(
      'http://10.0.0.5:2580',
    );
    expect(consoleOriginAfterRestart([waiting('console.host', '0.0.0.0')], here)).toBe(
      'http://relay.lan:2580',
    );
    expect(consoleOriginAfterRestart([waiting('console.host', 'fd00::5')], here)).toBe(
      'http://[fd00::5]:2580',
    );
  });

  it('cannot say where a port picked at start will be', () => {
    expect(consoleOriginAfterRestart([waiting('console.port', 0)], here)).toBe('');
  });
});
