import { Alert, Group, Loader, NativeSelect, Stack, Text } from '@mantine/core';
import type { ResultOf } from '@shared/api/contract';
import type { Connection } from '@shared/domain/connection';
import { shortFingerprint } from '@shared/domain/status';
import { SHOP_SYSTEMS, type ShopSystemId } from '@shared/setup/shop-setup';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { errorMessage } from '../../api/error-message';
import { AppModal } from '../../components/app-modal';
import { CopyCode } from '../../components/copy-code';
import { CertificateDownloadButton } from './certificate-download';

/**
 * "Set up your shop": this connection's settings for the chosen shop system, ready to copy, with
 * how that system comes to trust the relay's certificate. The password stays a placeholder: it
 * was shown once, at creation or rotation.
 */
export function ShopSetupModal({ connection, onClose }: { connection: Connection; onClose: () => void }) {
  const [result, setResult] = useState<ResultOf<'connections.setup'> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [system, setSystem] = useState<ShopSystemId>('wp-mail-smtp');

  useEffect(() => {
    let current = true;
    api
      .call('connections.setup', { id: connection.id })
      .then((r) => current && setResult(r))
      .catch((err) => current && setProblem(errorMessage(err)));
    return () => {
      current = false;
    };
  }, [connection.id]);

  const snippet = result?.setup.snippets.find((s) => s.system === system);
  const certificate = result?.values.certificate;

  return (
    <AppModal opened onClose={onClose} title={`Set up your shop: ${connection.name}`} size="xl">
      {problem && (
        <Alert color="red" title="Could not load the settings">
          {problem}
        </Alert>
      )}
      {!result && !problem && <Loader size="sm" />}
      {result && (
        <Stack>
          <NativeSelect
            label="Shop system"
            value={system}
            onChange={(e) => setSystem(e.currentTarget.value as ShopSystemId)}
            data={SHOP_SYSTEMS.map((s) => ({ value: s.id, label: s.name }))}
          />
          <Text size="sm">
            Replace <b>{result.values.passwordPlaceholder}</b> with the connection's password (shown once when
            it was created or rotated; rotate it if it is lost).
          </Text>
          {result.setup.hostWarning && (
            <Alert color="orange" title="The certificate does not name this host">
              {result.setup.hostWarning}
            </Alert>
          )}
          {snippet?.blocks.map((b) => (
            <CopyCode
              key={b.where}
              code={b.code}
              caption={b.where}
              label={snippet.blocks.length > 1 ? `${snippet.name} ${b.where}` : `${snippet.name} settings`}
            />
          ))}
          {snippet && certificate && (
            <Alert color="blue" title="The certificate" data-testid="certificate-note">
              <Stack gap="xs">
                <Text size="sm">{snippet.certificate.note}</Text>
                <Group gap="sm">
                  <CertificateDownloadButton />
                  <Text size="xs" c="dimmed" title={certificate.fingerprint256}>
                    SHA-256 {shortFingerprint(certificate.fingerprint256)} · for{' '}
                    {certificate.names.join(', ')}
                  </Text>
                </Group>
              </Stack>
            </Alert>
          )}
        </Stack>
      )}
    </AppModal>
  );
}
