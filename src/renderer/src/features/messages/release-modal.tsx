import { Radio, Stack, Text, TextInput } from '@mantine/core';
import { isValidAddress } from '@shared/domain/address';
import type { MessageDetail } from '@shared/domain/message';
import { useState } from 'react';
import { api } from '../../api/client';
import { ConfirmModal } from '../../components/confirm-modal';
import { notifySuccess } from '../../components/notify';

type Where = 'original' | 'address';

const recipientsText = (n: number) => `${n} recipient${n === 1 ? '' : 's'}`;

const originalNotContacted = (captured: string[]) =>
  captured.length === 1
    ? `The original recipient (${captured[0]}) is not contacted.`
    : `The original ${captured.length} recipients (${captured.join(', ')}) are not contacted.`;

/** The capture was kept unsigned (its connection accepts any sender): no DKIM-Signature in its header. */
const keptUnsigned = (m: MessageDetail) => !m.headers.some((h) => h.name.toLowerCase() === 'dkim-signature');

/**
 * Release asks where to: the captured recipients, or only an address the operator types (the
 * original recipients then hear nothing). The confirmation says how many and where.
 */
export function ReleaseModal({ message, onClose }: { message: MessageDetail; onClose: () => void }) {
  const captured = message.recipientStates.filter((r) => r.status === 'captured').map((r) => r.address);
  const [where, setWhere] = useState<Where>('original');
  const [address, setAddress] = useState('');
  const [addressError, setAddressError] = useState<string | undefined>();
  const typed = address.trim();

  const release = async () => {
    if (where === 'address' && !isValidAddress(typed)) {
      setAddressError('type the address to release the mail to, e.g. you@example.com');
      throw new Error(`"${typed}" is not an e-mail address; type one like you@example.com.`);
    }
    const result = await api.call('messages.release', {
      id: message.id,
      target: where === 'address' ? { to: 'address', address: typed } : { to: 'original' },
    });
    const signed =
      result.signing === 'signed-at-release'
        ? ' It was signed now.'
        : result.signing === 'unsigned'
          ? ' It goes out unsigned.'
          : '';
    notifySuccess(
      result.to === 'address'
        ? `Released to ${typed} only; the original recipients were not contacted.${signed}`
        : `Released: ${recipientsText(result.recipients)} queued for real delivery.${signed}`,
    );
    onClose();
  };

  return (
    <ConfirmModal
      title="Release this capture to real delivery?"
      confirmLabel={
        where === 'address' ? 'Release to this address' : `Release to ${recipientsText(captured.length)}`
      }
      color="violet"
      failure="Not released"
      onClose={onClose}
      onConfirm={release}
    >
      <Radio.Group value={where} onChange={(v) => setWhere(v as Where)} label="Deliver it to">
        <Stack gap="xs" mt="xs">
          <Radio value="original" label={`Its captured recipients (${recipientsText(captured.length)})`} />
          <Radio value="address" label="Only an address I type" />
        </Stack>
      </Radio.Group>
      {where === 'address' && (
        <TextInput
          label="Address"
          placeholder="you@example.com"
          value={address}
          onChange={(e) => {
            setAddress(e.currentTarget.value);
            setAddressError(undefined);
          }}
          error={addressError}
          data-autofocus
        />
      )}
      <Text size="sm" data-testid="release-summary">
        {where === 'address'
          ? `Relaydesk delivers this mail to 1 recipient: ${typed || 'the address you type'}. ${originalNotContacted(captured)}`
          : `Relaydesk delivers this mail to ${recipientsText(captured.length)}: ${captured.join(', ')}.`}
      </Text>
      {keptUnsigned(message) && (
        <Text size="sm" c="dimmed" data-testid="release-signing-note">
          This capture was kept unsigned (its connection accepts any sender). Relaydesk signs it now if its
          From: domain is a sending domain with an active DKIM key and List-Help; otherwise it can only go,
          unsigned, to an address you type.
        </Text>
      )}
    </ConfirmModal>
  );
}
