import { Switch, TextInput } from '@mantine/core';
import { AnySenderField, HourlyLimitField, ModeField } from './connection-fields';
import type { WizardState } from './wizard-state';

export function WizardNameStep({
  state,
  update,
  errors,
}: {
  state: WizardState;
  update: (patch: Partial<WizardState>) => void;
  errors: Record<string, string>;
}) {
  return (
    <>
      <TextInput
        label="Name"
        description='What the sending system is, e.g. "Webshop" or "Booking system".'
        value={state.name}
        onChange={(e) => update({ name: e.currentTarget.value })}
        error={errors.name}
        data-autofocus
        maxLength={80}
      />
      <ModeField value={state.mode} onChange={(mode) => update({ mode })} error={errors.mode} />
      <AnySenderField
        mode={state.mode}
        checked={state.acceptsAnySender}
        onChange={(acceptsAnySender) => update({ acceptsAnySender })}
        error={errors.acceptsAnySender}
      />
      <HourlyLimitField
        value={state.hourlyLimit}
        onChange={(hourlyLimit) => update({ hourlyLimit })}
        error={errors.hourlyLimit}
      />
      <Switch
        label="Enabled"
        description="A disabled connection's logins are refused."
        checked={state.enabled}
        onChange={(e) => update({ enabled: e.currentTarget.checked })}
      />
    </>
  );
}
