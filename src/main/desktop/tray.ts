import { join } from 'node:path';
import type { RelayStatus } from '@shared/domain/status';
import { app, Menu, nativeImage, Tray } from 'electron';

/** Tray icon whose tooltip shows the relay's address and counts; menu to open the console or quit. */
export function createTray(openConsole: () => void): { update(status: RelayStatus): void; destroy(): void } {
  const icon = nativeImage.createFromPath(join(__dirname, '../../resources/tray.png'));
  const tray = new Tray(icon.isEmpty() ? nativeImage.createEmpty() : icon);
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Relaydesk', click: openConsole },
      { type: 'separator' },
      { label: 'Quit', click: () => app.quit() },
    ]),
  );
  tray.on('click', openConsole);
  return {
    update(status) {
      const queued = status.counts.recipients.queued ?? 0;
      tray.setToolTip(
        `Relaydesk — SMTP ${status.smtp.host}:${status.smtp.port} — ${status.counts.messages} mails, ${queued} queued`,
      );
    },
    destroy: () => tray.destroy(),
  };
}
