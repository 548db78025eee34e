/**
 * The preload exposes exactly one object, `window.almanac`: the contract, typed from it, and the
 * desktop's one hook (open a run whose notification was clicked). No raw ipcRenderer reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AlmanacApi, EventName } from '../shared/api';
import { IPC_CHANNELS, type DesktopHooks } from '../shared/ipc';

/** A run to open that arrived before the page listened (its notification was clicked while it loaded). */
let pendingRun: string | null = null;
let openRun: ((runId: string) => void) | null = null;
ipcRenderer.on(IPC_CHANNELS.openRun, (_: IpcRendererEvent, runId: string) => {
  if (openRun) openRun(runId);
  else pendingRun = runId;
});

const almanac: AlmanacApi & DesktopHooks = {
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
  onOpenRun: (listener) => {
    openRun = listener;
    if (pendingRun !== null) listener(pendingRun);
    pendingRun = null;
    return () => {
      if (openRun === listener) openRun = null;
    };
  },
};

contextBridge.exposeInMainWorld('almanac', almanac);
