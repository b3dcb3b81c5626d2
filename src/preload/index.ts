import type { PushEvent } from '@shared/api/contract';
import type { Result } from '@shared/api/errors';
import { IPC_CALL, IPC_EVENT } from '@shared/api/ipc-channels';
import { isMethodName } from '@shared/api/methods';
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { RelaydeskBridge } from './index.d';

/** Exposes call()/on() for the contract's names only; the renderer never sees ipcRenderer itself. */
const bridge: RelaydeskBridge = {
  call(method: string, params: unknown): Promise<Result<unknown>> {
    if (!isMethodName(method)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'unknown_method', message: `There is no method "${method}".` },
      });
    }
    return ipcRenderer.invoke(IPC_CALL, method, params) as Promise<Result<unknown>>;
  },
  onEvent(listener: (event: PushEvent) => void): () => void {
    const handler = (_e: IpcRendererEvent, event: PushEvent) => listener(event);
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.off(IPC_EVENT, handler);
  },
};

contextBridge.exposeInMainWorld('relaydesk', bridge);
