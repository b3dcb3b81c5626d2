import { Input, NumberInput, SegmentedControl } from '@mantine/core';
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
