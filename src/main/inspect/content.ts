import { pipeline, type Readable } from 'node:stream';
import type { AttachmentInfo, DkimCheck } from '@shared/domain/message';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { type Attachment, simpleParser } from 'mailparser';
import type { Resolver } from '../engine/resolver';
import { MAX_MIME_DEPTH, MAX_MIME_PARTS, type MimeCut, MimeLimit } from './mime-limit';

/** Inline images up to this size are put into the HTML as data: URIs so the preview shows them. */
const MAX_INLINE_IMAGE_BYTES = 2 * 1024 * 1024;

/** Resources the HTML would fetch from the network: images, backgrounds, stylesheets, frames. */
const REMOTE_RESOURCE =
  /\b(?:src|background|poster|srcset)\s*=\s*["']?\s*(?:https?:)?\/\/|url\(\s*["']?\s*(?:https?:)?\/\/|<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?\/\//gi;

export function countRemoteResources(html: string): number {
  return html.match(REMOTE_RESOURCE)?.length ?? 0;
}

export interface ParsedContent {
  html: string | null;
  text: string | null;
  attachments: Attachment[];
  /** What was left out of a mail too deeply nested or with too many parts, in the user's words. */
  notice: string | null;
}

function cutNotice(cut: MimeCut): string | null {
  const left: string[] = [];
  if (cut.depth) left.push(`the parts nested more than ${MAX_MIME_DEPTH} levels deep`);
  if (cut.parts) left.push(`the parts after the first ${MAX_MIME_PARTS}`);
  if (left.length === 0) return null;
  return `This mail is built beyond what the inspector takes apart, so it is shown without ${left.join(' and ')}. The raw source has all of it.`;
}

/**
 * Takes a stored mail apart (mailparser): HTML with cid: images inlined, text, attachments.
 * mailparser reads a copy without the parts beyond MAX_MIME_DEPTH / MAX_MIME_PARTS (MimeLimit).
 */
export async function parseContent(source: Readable): Promise<ParsedContent> {
  const limit = new MimeLimit();
  const copy = pipeline(source, limit, () => {});
  const parsed = await simpleParser(copy, { skipImageLinks: true, skipTextToHtml: true });
  let html = typeof parsed.html === 'string' ? parsed.html : null;
  if (html) {
    for (const a of parsed.attachments) {
      const cid = a.contentId?.replace(/^<|>$/g, '');
      if (!cid || a.size > MAX_INLINE_IMAGE_BYTES || !a.contentType.startsWith('image/')) continue;
      const uri = `data:${a.contentType};base64,${a.content.toString('base64')}`;
      html = html.split(`cid:${cid}`).join(uri);
    }
  }
  return { html, text: parsed.text ?? null, attachments: parsed.attachments, notice: cutNotice(limit.cut) };
}

/** What the inspector lists of attachments; `first` is the index of the first one given. */
export function attachmentInfos(attachments: Attachment[], first = 0): AttachmentInfo[] {
  return attachments.map((a, i) => ({
    index: first + i,
    filename: a.filename ?? `attachment-${first + i + 1}`,
    contentType: a.contentType,
    size: a.size,
    contentId: a.contentId ?? null,
    inline: a.contentDisposition === 'inline' || Boolean(a.related),
  }));
}

/**
 * Verifies the DKIM signatures of the stored mail with mailauth. Keys of Relaydesk's own domains
 * are answered from `ownRecords` (what the mail was signed with, whether or not it is published
 * yet); other names go to the resolver.
 */
export async function verifyStoredDkim(
  source: Readable,
  ownRecords: ReadonlyMap<string, string>,
  resolver: Resolver,
): Promise<DkimCheck[]> {
  const result = await dkimVerify(source, {
    resolver: async (name: string, type: string) => {
      const key = name.replace(/\.$/, '').toLowerCase();
      const own = type === 'TXT' ? ownRecords.get(key) : undefined;
      if (own !== undefined) return [[own]];
      if (type === 'TXT') return resolver.resolveTxt(key);
      throw Object.assign(new Error(`no ${type} lookups here`), { code: 'ENOTFOUND' });
    },
  });
  return result.results.map((r) => ({
    domain: r.signingDomain,
    selector: r.selector ?? '',
    algorithm: r.algorithm ?? (r as { algo?: string }).algo ?? '',
    result: r.status.result,
    comment: r.status.comment ?? '',
  }));
}
