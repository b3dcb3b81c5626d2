import { Input, NumberInput, SegmentedControl, Switch, TextInput } from '@mantine/core';
import type { ConnectionMode } from '@shared/domain/connection';
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
      <Input.Wrapper
        labelElement="div"
        label="Mode"
        description="Live delivers to the recipients; sandbox captures mail for inspection and never delivers."
        error={errors.mode}
      >
        <div>
          <SegmentedControl
            mt={4}
            value={state.mode}
            onChange={(v) => update({ mode: v as ConnectionMode })}
            data={[
              { value: 'live', label: 'Live' },
              { value: 'sandbox', label: 'Sandbox' },
            ]}
          />
        </div>
      </Input.Wrapper>
      <NumberInput
        label="Hourly limit"
        description="Most mails per hour this connection may hand in. Leave empty for no limit of its own."
        placeholder="No limit"
        value={state.hourlyLimit}
        onChange={(v) =>
          update({ hourlyLimit: typeof v === 'number' ? v : v.trim() === '' ? '' : Number(v) })
        }
        allowDecimal={false}
        allowNegative={false}
        clampBehavior="none"
        min={1}
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
