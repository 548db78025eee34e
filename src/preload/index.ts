/**
 * The preload exposes exactly one object, `window.almanac`, typed from the contract. No raw
 * ipcRenderer reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AlmanacApi, EventName } from '../shared/api';

// Channel names repeat desktop/ipc.ts: the sandboxed preload cannot import main-process modules.
const INVOKE_CHANNEL = 'almanac:invoke';
const EVENT_CHANNEL = 'almanac:event';

const almanac: AlmanacApi = {
  invoke: (method, input) => ipcRenderer.invoke(INVOKE_CHANNEL, method, input),
  on: (event, listener) => {
    const handler = (_: IpcRendererEvent, name: EventName, payload: unknown) => {
      if (name === event) (listener as (payload: unknown) => void)(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('almanac', almanac);
