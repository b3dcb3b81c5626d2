import { Badge, Tooltip } from '@mantine/core';
import { ACTIVITY_CATEGORY_INFO, type ActivityCategory } from '@shared/domain/activity';

/** Colour by who should act: red the login or sender, orange a limit, grey the client's protocol. */
const COLOR: Record<ActivityCategory, string> = {
  'auth-failed': 'red',
  lockout: 'red',
  tls: 'grape',
  'auth-required': 'grape',
  'sender-refused': 'red',
  'recipient-refused': 'orange',
  'recipient-suppressed': 'pink',
  limit: 'orange',
  size: 'orange',
  content: 'red',
  timeout: 'gray',
  protocol: 'gray',
  internal: 'yellow',
};

export function CategoryBadge({ category }: { category: ActivityCategory }) {
  const info = ACTIVITY_CATEGORY_INFO[category];
  return (
    <Tooltip label={info.description} multiline w={280} withArrow>
      <Badge
        color={COLOR[category]}
        variant="light"
        size="sm"
        tt="none"
        data-testid="activity-category"
        styles={{ root: { maxWidth: 'none', flexShrink: 0 }, label: { overflow: 'visible' } }}
      >
        {info.label}
      </Badge>
    </Tooltip>
  );
}
