import { Button, Stack, Text, TextInput } from '@mantine/core';
import { listHelpProblem } from '@shared/domain/sending-domain';
import { LIST_HELP_HINT } from '../domains/domain-dialogs';
import { type ChosenDomain, listHelpOf, type WizardState } from './wizard-state';

/** One List-Help value per domain (required to send); one value may serve them all. */
export function WizardListHelpStep({
  state,
  update,
  chosen,
}: {
  state: WizardState;
  update: (patch: Partial<WizardState>) => void;
  chosen: ChosenDomain[];
}) {
  const first = chosen.map((d) => listHelpOf(state, d)).find((v) => v.trim() !== '') ?? '';
  return (
    <Stack>
      <Text size="sm">{LIST_HELP_HINT}</Text>
      {chosen.length === 0 && (
        <Text size="sm" c="dimmed">
          No sending domain chosen: nothing to set here. The connection captures mail from any sender.
        </Text>
      )}
      {chosen.map((d) => {
        const value = listHelpOf(state, d);
        const problem = value.trim() === '' ? undefined : listHelpProblem(value);
        return (
          <TextInput
            key={d.key}
            label={`List-Help for ${d.label}`}
            placeholder={`https://${d.name}/why-this-mail`}
            value={value}
            onChange={(e) => update({ listHelp: { ...state.listHelp, [d.key]: e.currentTarget.value } })}
            error={problem}
          />
        );
      })}
      {chosen.length > 1 && (
        <Button
          variant="subtle"
          size="xs"
          disabled={!first}
          onClick={() => update({ listHelp: Object.fromEntries(chosen.map((d) => [d.key, first])) })}
          style={{ alignSelf: 'flex-start' }}
        >
          Use this value for all domains
        </Button>
      )}
    </Stack>
  );
}
