import { Modal, type ModalProps } from '@mantine/core';
import { useLayoutEffect } from 'react';

/** How many app modals are open; the page behind is hidden from assistive technology while any is. */
let openModals = 0;

function backgroundRoot(): HTMLElement | null {
  return document.getElementById('root');
}

/**
 * Mantine's Modal, plus aria-hidden on the page behind it: a dialog's buttons ("Delete",
 * "Rotate password") must be the only ones of that name a screen reader, or a test, can reach.
 */
export function AppModal(props: ModalProps) {
  const { opened } = props;
  useLayoutEffect(() => {
    if (!opened) return;
    const root = backgroundRoot();
    // Focus must leave the page before it is hidden, or the browser refuses aria-hidden; it goes back on close.
    const trigger = document.activeElement;
    const blurred = root && trigger instanceof HTMLElement && root.contains(trigger) ? trigger : null;
    blurred?.blur();
    openModals += 1;
    root?.setAttribute('aria-hidden', 'true');
    return () => {
      openModals -= 1;
      if (openModals > 0) return;
      backgroundRoot()?.removeAttribute('aria-hidden');
      if (blurred?.isConnected) blurred.focus();
    };
  }, [opened]);
  return <Modal {...props} />;
}
