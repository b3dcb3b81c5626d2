import type { Connection } from '@shared/domain/connection';
import type { SetupValues } from '@shared/setup/shop-setup';
import type { TrayLook } from './tray-state';

/** The shape of an Electron menu item this menu uses (kept apart so the menu is plain data to test). */
export interface TrayMenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox' | 'submenu';
  checked?: boolean;
  enabled?: boolean;
  click?: () => void;
  submenu?: TrayMenuItem[];
}

export interface TrayActions {
  openConsole(): void;
  pauseDelivery(): void;
  resumeDelivery(): void;
  copySmtpSettings(connectionId: string): void;
  setStartAtLogin(on: boolean): void;
  quit(): void;
}

export interface TrayMenuState {
  look: TrayLook;
  paused: boolean;
  connections: Connection[];
  startAtLogin: boolean;
}

/** Open, pause/resume, copy a connection's SMTP settings, start at login, quit: in that order. */
export function trayMenu(state: TrayMenuState, act: TrayActions): TrayMenuItem[] {
  const copyItems: TrayMenuItem[] =
    state.connections.length > 0
      ? state.connections.map((c) => ({
          label: `${c.name}${c.mode === 'sandbox' ? ' (sandbox)' : ''}`,
          click: () => act.copySmtpSettings(c.id),
        }))
      : [{ label: 'No connections yet: create one in the console', enabled: false }];
  return [
    { label: state.look.headline, enabled: false },
    { type: 'separator' },
    { label: 'Open console', click: act.openConsole },
    state.paused
      ? { label: 'Resume delivery', click: act.resumeDelivery }
      : { label: 'Pause delivery', click: act.pauseDelivery },
    { label: 'Copy SMTP settings', type: 'submenu', submenu: copyItems },
    { type: 'separator' },
    {
      label: 'Start at login',
      type: 'checkbox',
      checked: state.startAtLogin,
      click: () => act.setStartAtLogin(!state.startAtLogin),
    },
    { type: 'separator' },
    { label: 'Quit Relaydesk', click: act.quit },
  ];
}

/** What "Copy SMTP settings" puts on the clipboard: what a shop's SMTP form asks for. */
export function smtpSettingsText(name: string, v: SetupValues): string {
  return [
    `Relaydesk SMTP settings for "${name}"`,
    `Host: ${v.host}`,
    `Port: ${v.port}`,
    'Encryption: STARTTLS (required)',
    'Authentication: LOGIN or PLAIN (required)',
    `Username: ${v.username}`,
    `Password: ${v.passwordPlaceholder}`,
    `Certificate SHA-256: ${v.certificate.fingerprint256}`,
    '',
  ].join('\n');
}
