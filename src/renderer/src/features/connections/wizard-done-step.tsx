import { Button, Divider, Stack, Text, Title } from '@mantine/core';
import type { Connection, SmtpAccess } from '@shared/domain/connection';
import type { SendingDomain } from '@shared/domain/sending-domain';
import { useState } from 'react';
import { api } from '../../api/client';
import { notifyError } from '../../components/notify';
import { useRelaydesk } from '../../store';
import { DnsFindings } from '../domains/dns-findings';
import { DnsRecordView } from '../domains/dns-record-view';
import { AccessDataTable } from './access-data-modal';
import { SendTestForm } from './send-test-form';
import { ShopSetupModal } from './shop-setup-modal';

/**
 * The end of the wizard: access data to enter in the shop (or ready-made settings for its system),
 * the DNS records still to publish, and a test mail through the new connection (it opens in the
 * inspector, closing the wizard).
 */
export function WizardDoneStep({
  connection,
  access,
  domains,
  onTestSent,
  passwordCopied,
}: {
  connection: Connection;
  access: SmtpAccess;
  domains: SendingDomain[];
  onTestSent: () => void;
  /** Sending the test closes the wizard, so it waits until the password is copied. */
  passwordCopied: boolean;
}) {
  const upsertDomain = useRelaydesk((s) => s.upsertDomain);
  const live = useRelaydesk((s) => s.domains.list);
  const current = domains.map((d) => live?.find((l) => l.id === d.id) ?? d);
  const [checking, setChecking] = useState(false);
  const [settingUp, setSettingUp] = useState(false);

  const check = async () => {
    setChecking(true);
    try {
      for (const d of current) upsertDomain((await api.call('domains.checkDns', { id: d.id })).domain);
    } catch (err) {
      notifyError('Could not check DNS', err);
    } finally {
      setChecking(false);
    }
  };

  return (
    <Stack>
      <Text size="sm">Enter these settings in the mail (SMTP) settings of the sending system.</Text>
      <AccessDataTable access={access} />
      <Button variant="light" onClick={() => setSettingUp(true)} style={{ alignSelf: 'flex-start' }}>
        Set up your shop: settings for WooCommerce, Magento, Laravel, Postfix…
      </Button>
      {settingUp && <ShopSetupModal connection={connection} onClose={() => setSettingUp(false)} />}
      <Divider />
      <Title order={5}>DNS records to publish</Title>
      <Text size="sm">
        Publish each key's TXT record at your DNS provider, so receivers can check the signatures. Relaydesk
        already signs with them.
      </Text>
      {current.map((d) => (
        <Stack key={d.id} gap="xs">
          <Text fw={500} size="sm">
            {d.displayName}
          </Text>
          {d.keys.map((k) => (
            <DnsRecordView key={k.id} record={k.dnsRecord} />
          ))}
          {d.lastDnsCheck && <DnsFindings result={d.lastDnsCheck} />}
        </Stack>
      ))}
      <Button
        variant="default"
        loading={checking}
        onClick={() => void check()}
        style={{ alignSelf: 'flex-start' }}
      >
        Check DNS now
      </Button>
      <Divider />
      <Title order={5}>Send a test mail</Title>
      <SendTestForm
        connectionId={connection.id}
        onSent={onTestSent}
        notYet={
          passwordCopied
            ? undefined
            : 'Tick "I have copied the password" below first: the test mail opens in the inspector and closes this dialog.'
        }
      />
    </Stack>
  );
}
