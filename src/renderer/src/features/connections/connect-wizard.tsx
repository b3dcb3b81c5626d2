import { Alert, Button, Group, Stack, Stepper, Text } from '@mantine/core';
import type { Connection, SmtpAccess } from '@shared/domain/connection';
import { listHelpProblem, type SendingDomain } from '@shared/domain/sending-domain';
import { useState } from 'react';
import { api } from '../../api/client';
import { errorMessage, splitFieldErrors } from '../../api/error-message';
import { AppModal } from '../../components/app-modal';
import { useRelaydesk } from '../../store';
import { accessText, CopyAllButton } from './access-data-modal';
import { WizardDomainsStep } from './wizard-domains-step';
import { WizardDoneStep } from './wizard-done-step';
import { WizardListHelpStep } from './wizard-list-help-step';
import { WizardNameStep } from './wizard-name-step';
import { emptyWizard, listHelpOf, needsSendingDomain, type WizardState, wizardDomains } from './wizard-state';

/**
 * "Connect a new system" (the original's "Nieuw systeem verbinden"): name → sending domains
 * (existing DKIM entries or new ones) → List-Help per domain → save → the SMTP access data and
 * the DNS records still to publish.
 */
export function ConnectWizard({ onClose }: { onClose: () => void }) {
  const upsertDomain = useRelaydesk((s) => s.upsertDomain);
  const upsertConnection = useRelaydesk((s) => s.upsertConnection);
  const domains = useRelaydesk((s) => s.domains.list) ?? [];
  const [state, setState] = useState<WizardState>(emptyWizard);
  const [step, setStep] = useState(0);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{
    connection: Connection;
    access: SmtpAccess;
    domains: SendingDomain[];
  } | null>(null);
  const update = (patch: Partial<WizardState>) => setState((s) => ({ ...s, ...patch }));
  const chosen = wizardDomains(state, domains);

  const next = () => {
    setProblem(null);
    if (step === 0 && !state.name.trim())
      return setErrors({ name: 'give the connection a name, e.g. "Webshop"' });
    if (step === 1 && chosen.length === 0 && needsSendingDomain(state)) {
      return setProblem(
        'Choose or add at least one sending domain: Relaydesk refuses mail whose From: domain the connection may not use.',
      );
    }
    setErrors({});
    setStep(step + 1);
  };

  /** Creates what is new, saves changed List-Help values, then the connection. Safe to run again after a failure. */
  const save = async () => {
    const missing = chosen.filter((d) => {
      const value = listHelpOf(state, d).trim();
      return value === '' || listHelpProblem(value) !== undefined;
    });
    if (missing.length > 0) {
      return setProblem(
        `Give ${missing.map((d) => d.label).join(', ')} a valid List-Help value: an https:// page or a mailto: address.`,
      );
    }
    setSaving(true);
    setProblem(null);
    setErrors({});
    const created = { ...state.created };
    try {
      const ids: string[] = [];
      for (const d of chosen) {
        const listHelp = listHelpOf(state, d).trim();
        if (d.existing) {
          if (listHelp !== d.existing.listHelp)
            upsertDomain(await api.call('domains.update', { id: d.existing.id, listHelp }));
          ids.push(d.existing.id);
          continue;
        }
        let made = created[d.name];
        if (!made) {
          made = await api
            .call('domains.create', { domain: d.name, listHelp, key: { algorithm: d.algorithm } })
            .catch((err) => {
              setStep(1);
              throw new Error(`${d.name}: ${errorMessage(err)}`);
            });
          created[d.name] = made;
          update({ created: { ...created } });
          upsertDomain(made);
        }
        ids.push(made.id);
      }
      const limit = state.hourlyLimit === '' ? null : Number(state.hourlyLimit);
      const { connection, access } = await api
        .call('connections.create', {
          name: state.name,
          mode: state.mode,
          hourlyLimit: limit,
          enabled: state.enabled,
          domainIds: ids,
          ...(state.mode === 'sandbox' ? { acceptsAnySender: state.acceptsAnySender } : {}),
        })
        .catch((err) => {
          const { fields } = splitFieldErrors(err, ['name', 'hourlyLimit', 'mode', 'acceptsAnySender']);
          if (Object.keys(fields).length > 0) {
            setErrors(fields);
            setStep(0);
          }
          throw err;
        });
      upsertConnection(connection);
      const fresh = await Promise.all(ids.map((id) => api.call('domains.get', { id })));
      for (const d of fresh) upsertDomain(d);
      setResult({ connection, access, domains: fresh });
      setStep(3);
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <AppModal
      opened
      onClose={onClose}
      closeOnClickOutside={false}
      // Once connected the password shows: Esc must not lose it.
      closeOnEscape={!result}
      withCloseButton={!result}
      title={result ? `${result.connection.name} is connected` : 'Connect a new system'}
      size="xl"
    >
      <Stepper active={step} size="sm" mb="lg" allowNextStepsSelect={false}>
        <Stepper.Step label="Name" />
        <Stepper.Step label="Sending domains" />
        <Stepper.Step label="List-Help" />
        <Stepper.Step label="Access data" />
      </Stepper>
      <Stack>
        {step === 0 && <WizardNameStep state={state} update={update} errors={errors} />}
        {step === 1 && <WizardDomainsStep state={state} update={update} domains={domains} />}
        {step === 2 && <WizardListHelpStep state={state} update={update} chosen={chosen} />}
        {step === 3 && result && (
          <WizardDoneStep
            connection={result.connection}
            access={result.access}
            domains={result.domains}
            onTestSent={onClose}
          />
        )}
        {problem && (
          <Alert color="red" title="Not done yet">
            <Text size="sm">{problem}</Text>
          </Alert>
        )}
        <Group justify="space-between">
          {result ? (
            <CopyAllButton text={accessText(result.access)} />
          ) : (
            <Button variant="default" disabled={step === 0} onClick={() => setStep(step - 1)}>
              Back
            </Button>
          )}
          {step < 2 && <Button onClick={next}>Next</Button>}
          {step === 2 && (
            <Button loading={saving} onClick={() => void save()}>
              Create connection
            </Button>
          )}
          {step === 3 && <Button onClick={onClose}>Done</Button>}
        </Group>
      </Stack>
    </AppModal>
  );
}
