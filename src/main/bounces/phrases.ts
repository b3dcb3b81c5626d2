import type { BounceReason } from '@shared/domain/bounce';
import { type Phrase, REASON_PHRASES } from './rules';

/** Diagnostics longer than this are cut: the words that matter come first, and work stays bounded. */
const MAX_TEXT = 4000;

/** Lower case, one space for any run of white space: the form every phrase is written in. */
export function normalizeText(text: string): string {
  const flat = text
    .slice(0, MAX_TEXT * 2)
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
  // A multi-line reply repeats its codes on every line ("550-5.7.26 ... 550-5.7.26 ..."); past
  // the first, they would split the sentence the phrases look for.
  const first = /^([245]\d\d)[- ](?:[245]\.\d{1,3}\.\d{1,3} )?/.exec(flat);
  if (!first?.[1]) return flat.slice(0, MAX_TEXT);
  const repeated = new RegExp(`(^| )${first[1]}[- ](?:[245]\\.\\d{1,3}\\.\\d{1,3} ?)?(?=\\S)`, 'g');
  const rest = flat.slice(first[0].length).replace(repeated, '$1');
  return (first[0] + rest).slice(0, MAX_TEXT);
}

export function phraseMatches(text: string, phrase: Phrase): boolean {
  if (typeof phrase === 'string') return text.includes(phrase);
  if (phrase instanceof RegExp) return phrase.test(text);
  let from = 0;
  for (const piece of phrase as readonly string[]) {
    const at = text.indexOf(piece, from);
    if (at < 0) return false;
    from = at + piece.length;
  }
  return true;
}

/** Does the (normalized) text use the words of this reason? */
export function saysReason(text: string, reason: BounceReason): boolean {
  if (!text) return false;
  const phrases = REASON_PHRASES[reason];
  return phrases ? phrases.some((p) => phraseMatches(text, p)) : false;
}
