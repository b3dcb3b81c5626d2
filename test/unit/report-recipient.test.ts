import type { AnalyzedRecipient } from '@shared/domain/bounce';
import { describe, expect, it } from 'vitest';
import { entryAbout } from '../../src/main/bounces/recorder';

const entry = (recipient: string, action = 'failed'): AnalyzedRecipient => ({
  recipient,
  reason: 'userunknown',
  status: '5.1.1',
  replyCode: '550',
  hard: true,
  action,
  diagnostic: '',
  remoteMta: '',
  command: '',
  diagnosticType: '',
  explanation: '',
});
const anna = { id: 1, address: 'anna@example.org', status: 'delivered' as const };
const ben = { id: 2, address: 'ben@example.org', status: 'delivered' as const };
const recipients = [anna, ben];

describe('which part of a report is about the recipient its return path names', () => {
  it('the entry naming that recipient, a failure before a delay, whatever else the report names', () => {
    const failed = entry('Anna@Example.org');
    expect(entryAbout(anna, [entry('ben@example.org'), failed], recipients)).toBe(failed);
    expect(entryAbout(anna, [entry('anna@example.org', 'delayed'), failed], recipients)).toBe(failed);
  });

  it('nothing when the report names only another recipient of the same mail', () => {
    expect(entryAbout(anna, [entry('ben@example.org')], recipients)).toBeUndefined();
  });

  it('the only entry when it names no one, or an address the mail was forwarded to', () => {
    const unnamed = entry('');
    const forwarded = entry('anna.new@elsewhere.example');
    expect(entryAbout(anna, [unnamed], recipients)).toBe(unnamed);
    expect(entryAbout(anna, [forwarded], recipients)).toBe(forwarded);
  });

  it('nothing when several entries name others', () => {
    expect(
      entryAbout(anna, [entry('x@elsewhere.example'), entry('y@elsewhere.example')], recipients),
    ).toBeUndefined();
  });
});
