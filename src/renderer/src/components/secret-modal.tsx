import { Button, Checkbox, Group, type ModalProps, Stack } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { AppModal } from './app-modal';

/**
 * The dialog around a secret shown only this once (an SMTP password, a webhook signing secret).
 * While `secretShown`, nothing closes it by accident — not Esc, not a click outside, and there is
 * no ×: only the Done button of `SecretCopiedDone`, once the user has said the secret is copied.
 */
export function SecretModal({ secretShown, ...props }: ModalProps & { secretShown: boolean }) {
  return (
    <AppModal
      {...props}
      closeOnEscape={!secretShown && props.closeOnEscape !== false}
      closeOnClickOutside={!secretShown && props.closeOnClickOutside !== false}
      withCloseButton={!secretShown && props.withCloseButton !== false}
    />
  );
}

/**
 * "I have copied the …" and Done: Done stays disabled until the box is ticked. `children` go on
 * the left of Done (e.g. "Copy all").
 */
export function SecretCopiedDone({
  what,
  onDone,
  children,
  onCopiedChange,
}: {
  /** What was shown once, e.g. "password" or "signing secret". */
  what: string;
  onDone: () => void;
  children?: ReactNode;
  /** Told when the box is ticked or cleared (for other ways out of the dialog that must wait too). */
  onCopiedChange?: (copied: boolean) => void;
}) {
  const [copied, setCopiedState] = useState(false);
  const setCopied = (value: boolean) => {
    setCopiedState(value);
    onCopiedChange?.(value);
  };
  return (
    <Stack gap="xs">
      <Checkbox
        label={`I have copied the ${what}`}
        description="It cannot be shown again."
        checked={copied}
        onChange={(e) => setCopied(e.currentTarget.checked)}
      />
      <Group justify={children ? 'space-between' : 'flex-end'}>
        {children}
        <Button disabled={!copied} onClick={onDone}>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
