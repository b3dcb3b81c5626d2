import { UnstyledButton } from '@mantine/core';
import { formatBytes } from '@shared/domain/format';
import { memo, useRef } from 'react';
import { messageHref } from '../../app/routes';
import { StatusBadge } from '../../components/status-badge';
import { useRelaydesk } from '../../store';
import classes from './message-list.module.css';

/** A row pushed in less than this long ago flashes once, so a live arrival catches the eye. */
const FRESH_MS = 3_000;

function formatListTime(ms: number): string {
  const d = new Date(ms);
  const today = new Date();
  return d.toDateString() === today.toDateString() ? d.toLocaleTimeString() : d.toLocaleString();
}

export const MessageRow = memo(function MessageRow({ id }: { id: string }) {
  const m = useRelaydesk((s) => s.messages.byId[id]);
  const arrivedAt = useRelaydesk((s) => s.messages.arrivedAt[id]);
  const fresh = useRef(arrivedAt !== undefined && Date.now() - arrivedAt < FRESH_MS).current;
  if (!m) return null;
  const recipients = m.recipients.join(', ');
  return (
    <UnstyledButton
      className={`${classes.grid} ${classes.row} ${fresh ? classes.fresh : ''}`}
      // A link: opening it goes through the URL (Back returns), and it opens in a new tab too.
      component="a"
      href={messageHref(id)}
      data-testid="message-row"
      data-message-id={id}
    >
      <span className={classes.cell} title={new Date(m.acceptedAt).toLocaleString()}>
        {formatListTime(m.acceptedAt)}
      </span>
      <span className={classes.cell} title={m.from || m.mailFrom}>
        {m.from || m.mailFrom}
      </span>
      <span className={classes.cell} title={recipients}>
        {recipients}
      </span>
      <span className={classes.cell} title={m.subject}>
        {m.subject || <i>(no subject)</i>}
      </span>
      <span className={`${classes.cell} ${classes.secondary}`} title={`${m.connectionName} (${m.mode})`}>
        {m.connectionName}
      </span>
      <span>
        <StatusBadge status={m.status} />
      </span>
      <span className={`${classes.cell} ${classes.size} ${classes.secondary}`}>{formatBytes(m.size)}</span>
    </UnstyledButton>
  );
});
