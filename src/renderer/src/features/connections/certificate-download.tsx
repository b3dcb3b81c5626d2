import { Button } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client';
import { downloadText } from '../../components/download';
import { notifyError } from '../../components/notify';

/** Saves the relay's STARTTLS certificate (relaydesk-ca.pem) for the shop to trust. */
export function CertificateDownloadButton() {
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const { filename, pem } = await api.call('tls.certificate', {});
      downloadText(filename, 'application/x-pem-file', pem);
    } catch (err) {
      notifyError('Could not download the certificate', err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button variant="default" size="xs" loading={busy} onClick={() => void download()}>
      Download certificate (.pem)
    </Button>
  );
}
