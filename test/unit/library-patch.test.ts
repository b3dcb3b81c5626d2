import { describe, expect, it } from 'vitest';
import { installDotStuffingPatch } from '../../src/main/delivery/dot-stuffing-patch';
import { installDataScanPatch } from '../../src/main/intake/data-scan-patch';

describe('a patch of a library method', () => {
  it('refuses a method whose source is not the one it was written for, naming what to review', () => {
    const changed = { _feedDataStream: function feed() {} };
    expect(() => installDataScanPatch(changed as never)).toThrow(
      /^smtp-server’s SMTPStream\._feedDataStream changed \(source hash [0-9a-f]{12}, the patch was written for 9d8b903f9a3a\); review the new version and update or remove src\/main\/intake\/data-scan-patch\.ts$/,
    );
    expect(changed._feedDataStream.name).toBe('feed');
    const other = { _transform: function transform() {} };
    expect(() => installDotStuffingPatch(other as never)).toThrow(/DataStream\._transform changed/);
    expect(other._transform.name).toBe('transform');
  });
});
