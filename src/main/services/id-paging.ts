import { AppError } from '@shared/api/errors';

/**
 * Paging newest first by a row id (bounces, the activity log): the cursor is the last id shown,
 * opaque to clients. `before` is the id to continue below, or undefined for the first page.
 */
export function idCursorBefore(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined;
  const before = Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isInteger(before)) {
    throw new AppError(
      'invalid_params',
      'The cursor is not one Relaydesk gave out; start again without it.',
      {
        cursor: 'use nextCursor from the previous page',
      },
    );
  }
  return before;
}

/** One page from rows fetched with `limit + 1`: the extra row only says there is a next page. */
export function idPage<T extends { id: number }>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? Buffer.from(String(last.id)).toString('base64url') : null,
  };
}
