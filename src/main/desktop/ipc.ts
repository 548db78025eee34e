import type { IpcMain, WebContents } from 'electron';
import type { Dispatch } from '../api/dispatch';
import type { App } from '../app';
import { isOwnPage } from './security';

export const INVOKE_CHANNEL = 'almanac:invoke';
export const EVENT_CHANNEL = 'almanac:event';

/** Binds the one handler table to ipcMain; every call first proves it comes from the app's own page. */
export function bindIpc(ipcMain: IpcMain, dispatch: Dispatch, appUrl: () => string): void {
  ipcMain.handle(INVOKE_CHANNEL, (event, method: unknown, input: unknown) => {
    if (!isOwnPage(event.senderFrame?.url, appUrl())) {
      return {
        ok: false,
        error: { code: 'UNAVAILABLE', message: 'Calls are accepted only from Almanac’s own page' },
      };
    }
    if (typeof method !== 'string')
      return { ok: false, error: { code: 'VALIDATION', message: 'method: expected a string' } };
    return dispatch(method, input);
  });
}

/** Forwards contract events to a window's page. */
export function forwardEvents(app: App, contents: WebContents): () => void {
  return app.subscribe((event, payload) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event, payload);
  });
}
