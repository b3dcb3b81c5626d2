import { Alert, Button, Loader, Paper, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { PageHeader } from '../../components/page-header';
import { useRelaydesk } from '../../store';
import { DomainCard } from './domain-card';
import { AddDomainModal } from './domain-dialogs';

export function DomainsPage() {
  const list = useRelaydesk((s) => s.domains.list);
  const error = useRelaydesk((s) => s.domains.error);
  const loadDomains = useRelaydesk((s) => s.loadDomains);
  const [adding, setAdding] = useState(false);
  useEffect(() => {
    if (list === null) void loadDomains();
  }, [list, loadDomains]);

  return (
    <Stack gap="md" style={{ overflow: 'auto' }}>
      <PageHeader
        title="Domains & DKIM"
        description="The domains shops send from. Relaydesk signs every mail with the domain's DKIM key and adds its List-Help header."
        actions={<Button onClick={() => setAdding(true)}>Add domain</Button>}
      />
      {error && (
        <Alert color="red" title="Could not load the sending domains">
          {error}
        </Alert>
      )}
      {list === null ? (
        !error && <Loader size="sm" />
      ) : list.length === 0 ? (
        <Paper withBorder p="xl">
          <Text fw={500}>No sending domains yet</Text>
          <Text c="dimmed" size="sm">
            Add the domain of your shop's From: address. Relaydesk makes its DKIM key and shows the DNS record
            to publish. Until a domain is set up, mail from it is refused.
          </Text>
        </Paper>
      ) : (
        list.map((d) => (
          // Remounts (dropping unsaved edits) only when the saved List-Help or connections change.
          <DomainCard key={`${d.id}|${d.listHelp}|${d.connectionIds.join(',')}`} domain={d} />
        ))
      )}
      {adding && <AddDomainModal onClose={() => setAdding(false)} />}
    </Stack>
  );
}
