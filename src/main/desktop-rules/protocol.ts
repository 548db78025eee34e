/**
 * The renderer's own origin, app://almanac/ (Electron security checklist 18): not file://, whose pages
 * share one origin with every file on disk, and never a URL from the environment once packaged.
 */
import type { CustomScheme } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from './security';

const APP_HOST = 'almanac';
export const APP_PAGE_URL = `app://${APP_HOST}/index.html`;

/**
 * Standard (an origin of its own, relative URLs) and secure (a secure context, as https). Not
 * corsEnabled nor bypassCSP: no other origin may read it, and the CSP holds.
 */
export const APP_SCHEME: CustomScheme = {
  scheme: 'app',
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

/** electron-vite's dev server while developing; a packaged app loads only its own files. */
export function pageUrl(isPackaged: boolean, env: Record<string, string | undefined>): string {
  return (!isPackaged && env.ELECTRON_RENDERER_URL) || APP_PAGE_URL;
}

/**
 * The file an app:// URL names inside the renderer folder, by real path, or null: another host, a
 * malformed escape, `..`, or a link that leads out of the folder are all refused.
 */
export function rendererFile(root: string, url: string): string | null {
  try {
    const { protocol, host, pathname } = new URL(url);
    if (protocol !== `${APP_SCHEME.scheme}:` || host !== APP_HOST) return null;
    const base = fs.realpathSync.native(root);
    const wanted = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    const file = fs.realpathSync.native(path.join(base, wanted));
    return file.startsWith(base + path.sep) && fs.statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/** protocol.handle's handler: the file, read through `fetchFile` (net.fetch), under the CSP header. */
export function serveRenderer(root: string, fetchFile: (fileUrl: string) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    const file = rendererFile(root, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    const response = await fetchFile(pathToFileURL(file).href);
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return new Response(response.body, { status: response.status, headers });
  };
}
