import { Alert, Button, Group, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { previewDocument } from './preview-document';

/**
 * The mail's HTML as recipients see it, in a frame that runs no scripts (sandbox without
 * allow-scripts, an opaque origin that cannot reach the console) and loads nothing remote until
 * the user allows it for this mail.
 */
export function HtmlPreview({ html, remoteResources }: { html: string; remoteResources: number }) {
  const [allowRemote, setAllowRemote] = useState(false);
  const doc = useMemo(() => previewDocument(html, allowRemote), [html, allowRemote]);
  return (
    <>
      {remoteResources > 0 && !allowRemote && (
        <Alert color="gray" mb="sm" data-testid="remote-blocked">
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">
              Remote content blocked: this mail loads {remoteResources} image(s) or file(s) from the internet,
              which would tell their sender the mail was opened here.
            </Text>
            <Button
              size="xs"
              variant="default"
              style={{ flexShrink: 0 }}
              onClick={() => setAllowRemote(true)}
            >
              Load remote images
            </Button>
          </Group>
        </Alert>
      )}
      <iframe
        // key: a new document (and policy) when remote content is allowed.
        key={allowRemote ? 'remote' : 'local'}
        title="HTML preview"
        data-testid="html-preview"
        sandbox=""
        srcDoc={doc}
        referrerPolicy="no-referrer"
        style={{
          width: '100%',
          height: '60vh',
          border: '1px solid var(--mantine-color-default-border)',
          background: 'white',
        }}
      />
    </>
  );
}
