import type { PushEvent } from '@shared/api/contract';
import { IPC_CALL, IPC_EVENT } from '@shared/api/ipc-channels';
import { BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron';
import type { EngineEvents } from '../engine/events';
import type { Dispatch } from '../services/dispatch';

/**
 * The desktop transport: one invoke channel for every contract method, one event channel.
 * Calls are answered only for frames showing the console itself (Electron checklist: validate
 * the sender of every IPC message).
 */
export function registerIpcTransport(
  dispatch: Dispatch,
  events: EngineEvents,
  isTrustedUrl: (url: string) => boolean,
): () => void {
  ipcMain.handle(IPC_CALL, (event: IpcMainInvokeEvent, method: unknown, params: unknown) => {
    const url = event.senderFrame?.url ?? '';
    if (!isTrustedUrl(url)) {
      return {
        ok: false,
        error: { code: 'unauthorized', message: 'Calls are accepted only from the Relaydesk console.' },
      };
    }
    return dispatch(String(method), params);
  });
  // The desktop window is a console that listens for as long as the app runs.
  const detach = events.attachConsole();
  const unsubscribe = events.subscribe((event: PushEvent) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, event);
    }
  });
  return () => {
    ipcMain.removeHandler(IPC_CALL);
    unsubscribe();
    detach();
  };
}
