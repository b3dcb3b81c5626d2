/**
 * npm run bench:bounce-mime
 *
 * Issue 14 asked whether a well-kept MIME library should split bounce mail instead of
 * src/main/bounces/mime.ts. This reads both vendored corpora twice — with our parser, and with a
 * MIME tree built from mailsplit's Splitter (the splitter mailparser uses; embedded messages
 * parsed recursively, report parts read as text) — runs the same analysis on each tree
 * (analyzeParsed) and counts agreement with the reference, printing the files where the two differ.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BounceAnalysis } from '@shared/domain/bounce';
import { type MimeNode, Splitter, type SplitterChunk } from '@zone-eu/mailsplit';
import { analyzeParsed, analyzeStrict } from '../src/main/bounces/analyze';
import { decodeText, isEmbeddedMessage, type MimePart, partOfHead } from '../src/main/bounces/mime';

async function parseWithMailsplit(raw: Buffer, depth = 0): Promise<MimePart> {
  const splitter = new Splitter();
  const made = new Map<MimeNode, { part: MimePart; body: Buffer[]; cte: string; head: Buffer }>();
  let root: MimePart | undefined;
  splitter.on('data', (d: SplitterChunk) => {
    if (d.type === 'node') {
      const head: Buffer = d.getHeaders();
      const parentType = d.parentNode ? made.get(d.parentNode)?.part.contentType : '';
      const { part, cte } = partOfHead(
        head,
        parentType === 'multipart/digest' ? 'message/rfc822' : 'text/plain',
      );
      made.set(d, { part, body: [], cte, head });
      if (!d.parentNode) root = part;
      else {
        const parent = made.get(d.parentNode)?.part;
        if (parent && isEmbeddedMessage(parent.contentType)) parent.message = part;
        else parent?.children.push(part);
      }
    } else if (d.type === 'body' && d.node) {
      made.get(d.node)?.body.push(d.value);
    }
  });
  await new Promise<void>((res, rej) => {
    const events = splitter as unknown as NodeJS.EventEmitter;
    events.on('end', () => res());
    events.on('error', rej);
    splitter.end(raw);
  });
  for (const { part, body, cte } of made.values()) {
    if (isEmbeddedMessage(part.contentType) && depth < 8) {
      // mailsplit leaves an embedded message unparsed: parse it as a mail of its own.
      const inner = Buffer.from(decodeText(Buffer.concat(body), cte, 'latin1'), 'latin1');
      part.message = await parseWithMailsplit(inner, depth + 1);
      part.text = part.message.text;
    } else if (part.children.length === 0)
      part.text = decodeText(Buffer.concat(body), cte, part.params.charset);
  }
  // mailsplit parses any message/* part as a message: a report part's fields are then its child's header.
  for (const [node, { part }] of made) {
    if (
      part.contentType.startsWith('message/') &&
      !isEmbeddedMessage(part.contentType) &&
      part.children.length > 0
    ) {
      const child = [...made.entries()].find(([n]) => n.parentNode === node)?.[1];
      if (child) {
        part.text = `${child.head.toString('utf8')}\n${child.part.text}`;
        part.children = [];
      }
    }
  }
  return (
    root ?? {
      headers: [],
      contentType: 'text/plain',
      params: {},
      text: raw.toString(),
      children: [],
      message: null,
    }
  );
}

(async () => {
  for (const dir of [
    resolve(__dirname, '../test/fixtures/bounce-corpus'),
    resolve(__dirname, '../test/fixtures/bounce-corpus-extra'),
  ]) {
    const expected = JSON.parse(readFileSync(resolve(dir, 'expected.json'), 'utf8'));
    let ours = 0,
      lib = 0,
      total = 0,
      crashes = 0;
    const differ: string[] = [];
    for (const file of readdirSync(resolve(dir, 'eml')).sort()) {
      const raw = readFileSync(resolve(dir, 'eml', file));
      const a = analyzeStrict(raw);
      let b: BounceAnalysis | null = null;
      try {
        b = analyzeParsed(await parseWithMailsplit(raw));
      } catch (_e) {
        crashes++;
      }
      for (const w of expected[file] ?? []) {
        total++;
        const same = (x: { recipient: string }) =>
          x.recipient.toLowerCase() === w.recipient.toLowerCase() ||
          (w.recipient.startsWith('undisclosed-recipient-in-headers') && x.recipient === '');
        const ga = a.recipients.find(same);
        const gb = b?.recipients.find(same);
        if (ga?.reason === w.reason) ours++;
        if (gb?.reason === w.reason) lib++;
        if ((ga?.reason === w.reason) !== (gb?.reason === w.reason))
          differ.push(`${file}: ours ${ga?.reason} lib ${gb?.reason} want ${w.reason}`);
      }
    }
    console.log(
      dir.split('/').pop(),
      `ours ${ours}/${total}`,
      `mailsplit ${lib}/${total}`,
      `crashes ${crashes}`,
    );
    for (const d of differ.slice(0, 12)) console.log('  ', d);
  }
})();
