import { focusFirstRow } from '../features/messages/use-row-keys';
import { useRelaydesk } from '../store';

/** The field `/` focuses: the page's search field, marked by the page. */
export const PAGE_SEARCH = 'data-page-search';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

/** An app modal marks the page behind it aria-hidden (components/app-modal): keys then belong to the modal. */
const modalOpen = () => document.getElementById('root')?.getAttribute('aria-hidden') === 'true';

/**
 * Console-wide keys: `/` focuses the page's search field (not while typing in a field), Esc
 * closes the open message, ↓ on the Messages list selects its first row. Modals close on Esc themselves, except those showing a secret.
 * Listens in the capture phase and is added first, so it sees a modal still open before the
 * modal's own Esc handler closes it.
 */
export function startKeyboard(): void {
  window.addEventListener(
    'keydown',
    (e) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (modalOpen() || isTyping(e.target)) return;
      if (e.key === '/') {
        const field = document.querySelector<HTMLInputElement>(`main [${PAGE_SEARCH}]`);
        if (!field) return;
        e.preventDefault();
        field.focus();
        field.select();
      } else if (e.key === 'Escape') {
        const s = useRelaydesk.getState();
        if (s.navigation.page !== 'messages' || !s.navigation.selectedMessageId) return;
        e.preventDefault();
        s.closeMessage();
      } else if (e.key === 'ArrowDown') {
        const s = useRelaydesk.getState();
        const inList = e.target instanceof Element && e.target.closest('[data-testid="message-list"]');
        if (s.navigation.page !== 'messages' || s.navigation.selectedMessageId || inList) return;
        if (focusFirstRow()) e.preventDefault();
      }
    },
    { capture: true },
  );
}
