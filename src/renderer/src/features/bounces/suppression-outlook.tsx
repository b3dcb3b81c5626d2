import { Group, Text } from '@mantine/core';
import type { PastedRecipient } from '@shared/domain/bounce';
import { SuppressionReasonBadge } from '../suppressions/suppression-reason-badge';

const WORDS: Record<NonNullable<PastedRecipient['wouldSuppress']>, string> = {
  'hard-bounce': 'hard bounce',
  complaint: 'complaint',
};

/**
 * Whether Relaydesk would suppress the address had this report come back for mail it sent (the
 * bounce recorder's own rule, from the API), and whether it is on the suppression list already.
 */
export function SuppressionOutlook({ recipient }: { recipient: PastedRecipient }) {
  const { wouldSuppress, alreadySuppressed } = recipient;
  return (
    <Group gap="xs" data-testid="analysis-suppression">
      {wouldSuppress ? (
        <>
          <SuppressionReasonBadge reason={wouldSuppress} />
          <Text size="sm" fw={500}>
            Would be suppressed ({WORDS[wouldSuppress]})
          </Text>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          Would not be suppressed
        </Text>
      )}
      {alreadySuppressed && (
        <Text size="sm" fw={500} c="red" data-testid="analysis-already-suppressed">
          · Already suppressed: mail to it is refused now
        </Text>
      )}
    </Group>
  );
}
