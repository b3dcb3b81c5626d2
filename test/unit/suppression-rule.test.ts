import { describe, expect, it } from 'vitest';
import { isDelayNotice, suppressionFor } from '../../src/shared/domain/suppression-rule';

describe('when a report puts an address on the suppression list', () => {
  it('suppresses for a hard bounce that failed, and for every complaint', () => {
    expect(suppressionFor('bounce', { hard: true, action: 'failed' })).toBe('hard-bounce');
    expect(suppressionFor('bounce', { hard: true })).toBe('hard-bounce');
    expect(suppressionFor('complaint', { hard: null, action: '' })).toBe('complaint');
  });

  it('does not suppress for a soft bounce, a delay notice, an auto-reply or a delivery notice', () => {
    expect(suppressionFor('bounce', { hard: false, action: 'failed' })).toBeNull();
    expect(suppressionFor('bounce', { hard: null, action: 'failed' })).toBeNull();
    expect(suppressionFor('bounce', { hard: true, action: 'delayed' })).toBeNull();
    expect(suppressionFor('auto-reply', { hard: null, action: '' })).toBeNull();
    expect(suppressionFor('delivered', { hard: null, action: 'delivered' })).toBeNull();
    expect(suppressionFor('none', { hard: true })).toBeNull();
  });

  it('counts only a bounce entry with action delayed as a delay notice', () => {
    expect(isDelayNotice('bounce', { hard: true, action: 'delayed' })).toBe(true);
    expect(isDelayNotice('bounce', { hard: true, action: 'failed' })).toBe(false);
    expect(isDelayNotice('complaint', { hard: null, action: 'delayed' })).toBe(false);
  });
});
