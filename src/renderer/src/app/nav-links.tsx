import { NavLink } from '@mantine/core';
import type { MouseEvent } from 'react';
import { useRelaydesk } from '../store';
import type { PageName } from '../store/navigation-slice';

const PAGES: { page: PageName; label: string }[] = [
  { page: 'dashboard', label: 'Dashboard' },
  { page: 'messages', label: 'Messages' },
  { page: 'queue', label: 'Queue' },
  { page: 'bounces', label: 'Bounces' },
  { page: 'activity', label: 'Activity' },
  { page: 'suppressions', label: 'Suppressions' },
  { page: 'connections', label: 'Connections' },
  { page: 'domains', label: 'Domains & DKIM' },
  { page: 'quota', label: 'Quota & Billing' },
  { page: 'settings', label: 'Settings' },
];

export function NavLinks() {
  const current = useRelaydesk((s) => s.navigation.page);
  const navigate = useRelaydesk((s) => s.navigate);
  const closeMessage = useRelaydesk((s) => s.closeMessage);
  return (
    <nav aria-label="Pages">
      {PAGES.map(({ page, label }) => (
        <NavLink
          key={page}
          // The page's URL, for a new tab; a click navigates in the store, which writes the URL.
          href={`#/${page}`}
          label={label}
          active={current === page}
          aria-current={current === page ? 'page' : undefined}
          onClick={(e: MouseEvent) => {
            // Ctrl/⌘/Shift-click: the browser opens the page's URL in a new tab or window.
            if (e.ctrlKey || e.metaKey || e.shiftKey) return;
            e.preventDefault();
            // The Messages link always leads to the list, also back from an open message.
            if (page === 'messages') closeMessage();
            navigate(page);
          }}
        />
      ))}
    </nav>
  );
}
