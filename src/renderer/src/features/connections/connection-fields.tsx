import { Input, NumberInput, SegmentedControl, Switch } from '@mantine/core';
import type { ConnectionMode } from '@shared/domain/connection';

/** Live or sandbox, explained. */
export function ModeField({
  value,
  onChange,
  error,
}: {
  value: ConnectionMode;
  onChange: (mode: ConnectionMode) => void;
  error?: string | undefined;
}) {
  return (
    <Input.Wrapper
      labelElement="div"
      label="Mode"
      description="Live delivers to the recipients; sandbox captures mail for inspection and never delivers."
      error={error}
    >
      <div>
        <SegmentedControl
          mt={4}
          value={value}
          onChange={(v) => onChange(v as ConnectionMode)}
          data={[
            { value: 'live', label: 'Live' },
            { value: 'sandbox', label: 'Sandbox' },
          ]}
        />
      </div>
    </Input.Wrapper>
  );
}

/** Empty means "no limit of its own"; the relay checks the range and says what is allowed. */
export function HourlyLimitField({
  value,
  onChange,
  error,
}: {
  value: number | '';
  onChange: (limit: number | '') => void;
  error?: string | undefined;
}) {
  return (
    <NumberInput
      label="Hourly limit"
      description="Most mails per hour this connection may hand in. Leave empty for no limit of its own."
      placeholder="No limit"
      value={value}
      onChange={(v) => onChange(typeof v === 'number' ? v : v.trim() === '' ? '' : Number(v))}
      allowDecimal={false}
      allowNegative={false}
      clampBehavior="none"
      min={1}
      max={1_000_000}
      thousandSeparator=","
      error={error}
    />
  );
}

/** Sandbox only: the switch that makes Relaydesk a local mail catcher for this connection. */
export function AnySenderField({
  mode,
  checked,
  onChange,
  error,
}: {
  mode: ConnectionMode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string | undefined;
}) {
  if (mode !== 'sandbox') return null;
  return (
    <Switch
      label="Accept any sender"
      description="Capture mail from any From: address, without a sending domain, DKIM key or List-Help, as a local mail catcher does. Nothing is signed or delivered. Releasing a capture signs it when its From: domain is a sending domain set up here; otherwise it can only go to an address you type."
      checked={checked}
      onChange={(e) => onChange(e.currentTarget.checked)}
      error={error}
    />
  );
}
