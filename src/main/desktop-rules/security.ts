/**
 * The Electron security checklist as data and small predicates, so tests can check them without
 * the Electron runtime (DESIGN.md §7).
 */
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

/** script-src 'self' only: no inline script, no eval, no remote code. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Almanac',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/**
 * Only the app's own page may call the API: app://almanac/, or the dev server while developing. URL
 * origins of custom schemes are opaque ("null"), so scheme and host are compared; file: never passes.
 */
export function isOwnPage(frameUrl: string | undefined, pageUrl: string): boolean {
  try {
    const frame = new URL(frameUrl ?? '');
    const page = new URL(pageUrl);
    const served = ['app:', 'http:', 'https:'].includes(page.protocol);
    return served && frame.protocol === page.protocol && frame.host === page.host;
  } catch {
    return false;
  }
}

/** `shell.openExternal` only for well-formed http(s) links. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      (parsed.protocol === 'https:' || parsed.protocol === 'http:') && !parsed.username && !parsed.password
    );
  } catch {
    return false;
  }
}

/** What `hardenContents` needs of a WebContents: the events and handlers that let a page leave. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Navigation and new windows are denied; a link to an http(s) page opens in the person's browser
 * instead. Webviews are never attached.
 */
export function hardenContents(contents: GuardedContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
}

/** Every permission request (camera, notifications from the page, geolocation …) is refused. */
export function hardenSession(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
