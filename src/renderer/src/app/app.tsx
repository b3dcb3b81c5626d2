import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/charts/styles.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { api } from '../api/client';
import { useRelaydesk } from '../store';
import { ConsoleShell } from './console-shell';
import { theme } from './theme';
import { TokenScreen } from './token-screen';

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="top-right" />
      <AuthGate />
    </MantineProvider>
  );
}

/** In a browser the console needs the token first; the desktop window is trusted through IPC. */
function AuthGate() {
  const needsToken = useRelaydesk(
    (s) =>
      api.transport === 'http' &&
      (s.status.link === 'unauthorized' || (s.status.link === 'connecting' && s.status.tokenSubmitted)),
  );
  return needsToken ? <TokenScreen /> : <ConsoleShell />;
}
