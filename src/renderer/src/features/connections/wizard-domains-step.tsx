import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import type { DkimAlgorithm, SendingDomain } from '@shared/domain/sending-domain';
import { useState } from 'react';
import { ALGORITHMS } from '../domains/key-dialogs';
import { needsSendingDomain, type WizardState } from './wizard-state';

const DOMAIN = /^[^\s@/:]+\.[^\s@/:]+$/;

/** Pick existing sending domains (their DKIM entries) and/or add new ones with a new key. */
export function WizardDomainsStep({
  state,
  update,
  domains,
}: {
  state: WizardState;
  update: (patch: Partial<WizardState>) => void;
  domains: SendingDomain[];
}) {
  const [name, setName] = useState('');
  const [algorithm, setAlgorithm] = useState<DkimAlgorithm>('rsa-sha256');
  const [error, setError] = useState<string | undefined>();

  const add = () => {
    const typed = name.trim().toLowerCase().replace(/\.$/, '');
    if (!DOMAIN.test(typed)) return setError('enter a domain like shop.example (no @, no https://)');
    const taken = domains.find((d) => d.domain === typed || d.displayName === typed);
    if (taken) {
      update({ selectedIds: [...new Set([...state.selectedIds, taken.id])] });
    } else if (!state.newDomains.some((d) => d.name === typed)) {
      update({ newDomains: [...state.newDomains, { name: typed, algorithm }] });
    }
    setName('');
    setError(undefined);
  };

  return (
    <Stack>
      <Text size="sm">
        The domains this system sends from (the domain of its From: address). Relaydesk signs its mail with
        the domain's DKIM key.
      </Text>
      {!needsSendingDomain(state) && (
        <Text size="sm" c="dimmed" data-testid="any-sender-domains-hint">
          This sandbox connection accepts any sender, so a sending domain is optional: skip this step to
          capture mail from any From: address. A capture from a domain set up here is signed when you release
          it.
        </Text>
      )}
      {domains.length > 0 && (
        <Paper withBorder p="sm">
          <Text size="sm" fw={500} mb="xs">
            Existing sending domains
          </Text>
          <Stack gap="xs">
            {domains.map((d) => (
              <Group key={d.id} gap="xs">
                <Checkbox
                  label={d.displayName}
                  checked={state.selectedIds.includes(d.id)}
                  onChange={(e) =>
                    update({
                      selectedIds: e.currentTarget.checked
                        ? [...state.selectedIds, d.id]
                        : state.selectedIds.filter((id) => id !== d.id),
                    })
                  }
                />
                {d.keys
                  .filter((k) => k.state === 'active')
                  .map((k) => (
                    <Badge key={k.id} size="xs" variant="light">
                      {k.algorithm === 'rsa-sha256' ? 'RSA' : 'Ed25519'} {k.selector}
                    </Badge>
                  ))}
                {d.problems.length > 0 && (
                  <Badge size="xs" color="orange" variant="light">
                    needs setup
                  </Badge>
                )}
              </Group>
            ))}
          </Stack>
        </Paper>
      )}
      <Paper withBorder p="sm">
        <Text size="sm" fw={500} mb="xs">
          A new sending domain
        </Text>
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            label="Domain"
            placeholder="shop.example"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
            error={error}
            style={{ flex: 1 }}
          />
          <SegmentedControl
            value={algorithm}
            onChange={(v) => setAlgorithm(v as DkimAlgorithm)}
            data={ALGORITHMS}
          />
          <Button variant="default" onClick={add}>
            Add domain
          </Button>
        </Group>
        {state.newDomains.length > 0 && (
          <Stack gap={4} mt="sm">
            {state.newDomains.map((d) => (
              <Group key={d.name} gap="xs">
                <Text size="sm">{d.name}</Text>
                <Badge size="xs" variant="light">
                  new {d.algorithm === 'rsa-sha256' ? 'RSA' : 'Ed25519'} key
                </Badge>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="sm"
                  aria-label={`Remove ${d.name}`}
                  onClick={() => update({ newDomains: state.newDomains.filter((n) => n.name !== d.name) })}
                >
                  ×
                </ActionIcon>
              </Group>
            ))}
          </Stack>
        )}
      </Paper>
    </Stack>
  );
}
