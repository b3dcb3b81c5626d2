import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BounceAnalysis } from '@shared/domain/bounce';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeStrict } from '../../src/main/bounces/analyze';

/**
 * The measure of the bounce analyser: real bounce mails with the reference analyser Sisimai's
 * verdicts (see each corpus's README). `bounces` is the set the rules were written against;
 * `bounces-extra` (other public sources) is the validation set. No rule names one of its files,
 * but its disagreements were read to find what the rules missed, so it is no longer blind: the
 * figure a new sample gives is the honest one.
 * Vendored copies run on any clone; the originals beside the checkout are compared when present.
 */
/** The validation set's bar: issue 14's 92 % (163 of 177). Raise it with gains, never lower it. */
const REQUIRED_EXTRA = 0.92;

const CORPORA = [
  {
    name: 'bounces',
    dir: resolve(__dirname, '../fixtures/bounce-corpus'),
    shared: resolve(__dirname, '../../../shared/corpus/bounces'),
    required: 0.95,
  },
  {
    name: 'bounces-extra',
    dir: resolve(__dirname, '../fixtures/bounce-corpus-extra'),
    shared: resolve(__dirname, '../../../shared/corpus/bounces-extra'),
    required: REQUIRED_EXTRA,
  },
];
const MAX_MS_PER_FILE = 2000;

/**
 * When a report names no recipient, Sisimai writes this placeholder; our analyser leaves the
 * recipient empty instead. The two mean the same thing and count as the same recipient.
 */
const SISIMAI_NO_RECIPIENT = 'undisclosed-recipient-in-headers@libsisimai.org.invalid';

interface Expected {
  recipient: string;
  reason: string;
  status: string;
  replycode: string;
  action: string;
  softbounce: number;
}

interface Outcome {
  file: string;
  result: BounceAnalysis | null;
  error: unknown;
  ms: number;
}

function sameRecipient(ours: string, theirs: string): boolean {
  const a = ours.toLowerCase();
  const b = theirs.toLowerCase();
  return a === b || (b === SISIMAI_NO_RECIPIENT && a === '');
}

function analyseAll(dir: string): Outcome[] {
  return readdirSync(resolve(dir, 'eml'))
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((file) => {
      const raw = readFileSync(resolve(dir, 'eml', file));
      const started = performance.now();
      try {
        const result = analyzeStrict(raw);
        return { file, result, error: null, ms: performance.now() - started };
      } catch (error) {
        return { file, result: null, error, ms: performance.now() - started };
      }
    });
}

for (const corpus of CORPORA) {
  describe(`the real bounce corpus ${corpus.name}`, () => {
    let expected: Record<string, Expected[]> = {};
    let outcomes: Outcome[] = [];

    beforeAll(() => {
      if (!existsSync(resolve(corpus.dir, 'expected.json')) || !existsSync(resolve(corpus.dir, 'eml'))) {
        throw new Error(
          `The bounce corpus is missing: expected ${corpus.dir}/expected.json and ${corpus.dir}/eml/ ` +
            `(vendored from ../shared/corpus/${corpus.name}).`,
        );
      }
      expected = JSON.parse(readFileSync(resolve(corpus.dir, 'expected.json'), 'utf8'));
      outcomes = analyseAll(corpus.dir);
    });

    it.runIf(existsSync(corpus.shared))('is the same as the shared original beside the checkout', () => {
      const files = (dir: string) => readdirSync(resolve(dir, 'eml')).sort();
      expect(files(corpus.dir)).toEqual(files(corpus.shared));
      for (const f of files(corpus.shared)) {
        const same = readFileSync(resolve(corpus.dir, 'eml', f)).equals(
          readFileSync(resolve(corpus.shared, 'eml', f)),
        );
        expect(same, f).toBe(true);
      }
      expect(readFileSync(resolve(corpus.dir, 'expected.json'), 'utf8')).toBe(
        readFileSync(resolve(corpus.shared, 'expected.json'), 'utf8'),
      );
    });

    it('reads every file without an exception', () => {
      expect(outcomes.length).toBeGreaterThan(0);
      const failures = outcomes.filter((o) => o.error !== null).map((o) => `${o.file}: ${String(o.error)}`);
      expect(failures).toEqual([]);
    });

    it(`reads every file in under ${MAX_MS_PER_FILE} ms`, () => {
      const slow = outcomes
        .filter((o) => o.ms >= MAX_MS_PER_FILE)
        .map((o) => `${o.file}: ${o.ms.toFixed(0)} ms`);
      expect(slow).toEqual([]);
    });

    it('reads the files the reference found no bounce in without failing', () => {
      const quiet = outcomes.filter((o) => (expected[o.file] ?? []).length === 0);
      for (const o of quiet) {
        expect(o.error, o.file).toBeNull();
        expect(o.result?.kind, o.file).toBeDefined();
      }
    });

    it(`agrees with the reference on at least ${corpus.required * 100} % of the failed recipients`, () => {
      let agreeing = 0;
      let total = 0;
      const confusion = new Map<string, number>();
      for (const o of outcomes) {
        for (const want of expected[o.file] ?? []) {
          total++;
          const got = o.result?.recipients.find((r) => sameRecipient(r.recipient, want.recipient));
          if (got?.reason === want.reason) {
            agreeing++;
            continue;
          }
          const said = got ? got.reason : o.result?.recipients.length ? '(other recipient)' : '(nothing)';
          const key = `${want.reason} → ${said}`;
          confusion.set(key, (confusion.get(key) ?? 0) + 1);
        }
      }
      const share = total ? agreeing / total : 0;
      const rows = [...confusion.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      console.log(
        [
          `Bounce corpus ${corpus.name}: agreement ${agreeing}/${total} recipients = ${(share * 100).toFixed(1)} %`,
          'Confusions (expected reason → what we said), worst first:',
          ...rows.map(([k, n]) => `  ${String(n).padStart(3)}  ${k}`),
        ].join('\n'),
      );
      expect(total).toBeGreaterThan(0);
      expect(share).toBeGreaterThanOrEqual(corpus.required);
    });
  });
}
