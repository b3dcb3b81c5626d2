import type { Virtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type RefObject, useCallback, useEffect } from 'react';
import { useRelaydesk } from '../../store';

/** Frames to wait for a row scrolled to to be drawn before focusing it (half a second). */
const MAX_FRAMES = 30;

const rowSelector = (id: string) => `[data-message-id="${CSS.escape(id)}"]`;

/**
 * Arrow keys move the selection (the focused row) through the virtualised list, scrolling rows
 * into view; Enter opens the row, as it is a link. Back from a message, its row has the focus again.
 */
export function useRowKeys(
  ids: string[],
  scrollRef: RefObject<HTMLDivElement | null>,
  virtualizer: Virtualizer<HTMLDivElement, Element>,
) {
  const focusRow = useCallback(
    (index: number) => {
      const id = ids[index];
      if (!id) return;
      virtualizer.scrollToIndex(index, { align: 'auto' });
      // A drawn row takes the focus at once, so the next key goes on from it however fast it comes.
      let frames = 0;
      const tryFocus = () => {
        const row = scrollRef.current?.querySelector<HTMLElement>(rowSelector(id));
        if (row) row.focus({ preventScroll: true });
        else if (++frames < MAX_FRAMES) requestAnimationFrame(tryFocus);
      };
      tryFocus();
    },
    [ids, scrollRef, virtualizer],
  );

  // Only on mount: the message just closed gets the focus back.
  // biome-ignore lint/correctness/useExhaustiveDependencies: later changes to ids must not move the focus
  useEffect(() => {
    const last = useRelaydesk.getState().detail?.id;
    const at = last ? ids.indexOf(last) : -1;
    if (at >= 0) focusRow(at);
  }, []);

  return (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const current = (e.target as HTMLElement).closest('[data-message-id]')?.getAttribute('data-message-id');
    const at = current ? ids.indexOf(current) : -1;
    e.preventDefault();
    focusRow(Math.max(0, Math.min(ids.length - 1, e.key === 'ArrowDown' ? at + 1 : at - 1)));
  };
}

/** From anywhere on the list page (not typing), an arrow key puts the selection on the first row. */
export function focusFirstRow(): boolean {
  const row = document.querySelector<HTMLElement>('[data-testid="message-list"] [data-message-id]');
  row?.focus();
  return row !== null;
}
