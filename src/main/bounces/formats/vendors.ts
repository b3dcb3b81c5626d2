import type { RecipientFacts } from '../facts';
import type { MimePart } from '../mime';
import { STATUS_REASONS } from '../rules';
import { readGmailNotice, readGoogleGroups } from './google';

/**
 * Readers for non-standard reports whose shape the generic prose reader cannot follow, tried
 * before it. Each returns [] when the mail is not its format.
 */
const READERS: readonly ((root: MimePart, notice: string) => RecipientFacts[])[] = [
  readGoogleGroups,
  (root, notice) => readGmailNotice(root, notice, (s) => STATUS_REASONS[s] ?? ''),
];

export function readVendorBounce(root: MimePart, notice: string): RecipientFacts[] | null {
  for (const read of READERS) {
    const facts = read(root, notice);
    if (facts.length > 0) return facts;
  }
  return null;
}
