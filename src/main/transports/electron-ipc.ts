/**
 * The Electron transport (DESIGN.md §2): the one handler table behind `ipcMain`, and contract events
 * forwarded to a window. It only speaks Electron's types; index.ts hands it the real objects.
 */
import type { IpcMain, WebContents } from 'electron';
import { IPC_CHANNELS } from '../../shared/ipc';
import type { Dispatch, Subscribe } from '../api/dispatch';

/**
 * Binds the handler table to ipcMain. Every call first proves it comes from the app's own page
 * (`isTrustedFrame` checks the sender frame's URL); then dispatch validates the input.
 */
export function bindIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatch: Dispatch,
  isTrustedFrame: (frameUrl: string | undefined) => boolean,
): () => void {
  ipcMain.handle(IPC_CHANNELS.invoke, (event, method: unknown, input: unknown) => {
    if (!isTrustedFrame(event.senderFrame?.url)) {
      return {
        ok: false,
        error: { code: 'UNAVAILABLE', message: 'Calls are accepted only from Almanac’s own page' },
      };
    }
    if (typeof method !== 'string') {
      return { ok: false, error: { code: 'VALIDATION', message: 'method: expected a string' } };
    }
    return dispatch(method, input);
  });
  return () => ipcMain.removeHandler(IPC_CHANNELS.invoke);
}

/** Forwards contract events to a window's page until it is destroyed or the returned stop is called. */
export function forwardEvents(
  subscribe: Subscribe,
  contents: Pick<WebContents, 'isDestroyed' | 'send'>,
): () => void {
  return subscribe((event, payload) => {
    if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.event, event, payload);
  });
}
