/**
 * The preload exposes exactly one object, `window.almanac`, typed from the contract. No raw
 * ipcRenderer reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AlmanacApi, EventName } from '../shared/api';
import { IPC_CHANNELS } from '../shared/ipc';

const almanac: AlmanacApi = {
  invoke: (method, input) => ipcRenderer.invoke(IPC_CHANNELS.invoke, method, input),
  on: (event, listener) => {
    const handler = (_: IpcRendererEvent, name: EventName, payload: unknown) => {
      if (name === event) (listener as (payload: unknown) => void)(payload);
    };
    ipcRenderer.on(IPC_CHANNELS.event, handler);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.event, handler);
    };
  },
};

contextBridge.exposeInMainWorld('almanac', almanac);
