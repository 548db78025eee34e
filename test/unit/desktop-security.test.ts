import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  hardenContents,
  hardenSession,
  isOwnPage,
  isSafeExternalUrl,
  windowOptions,
} from '../../src/main/desktop-rules/security';

describe('Electron security checklist, from the code that builds it', () => {
  it('isolates and sandboxes the renderer, with no Node integration', () => {
    const prefs = windowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
  });

  const directives = (policy: string) =>
    new Map(
      policy
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name!, values]),
    );

  it("has a strict CSP: script-src 'self', no objects, no base, no framing", () => {
    const header = directives(CONTENT_SECURITY_POLICY);
    expect(header.get('script-src')).toEqual(["'self'"]);
    expect(header.get('default-src')).toEqual(["'self'"]);
    expect(header.get('object-src')).toEqual(["'none'"]);
    expect(header.get('base-uri')).toEqual(["'none'"]);
    expect(header.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:/);
  });

  it('the page’s meta CSP is as strict for scripts, objects and <base> (dev server and browser mode)', () => {
    const html = fs.readFileSync(path.resolve(import.meta.dirname, '../../src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    const page = directives(meta);
    expect(page.get('script-src')).toEqual(["'self'"]);
    expect(page.get('object-src')).toEqual(["'none'"]);
    expect(page.get('base-uri')).toEqual(["'none'"]);
    expect(meta).not.toMatch(/unsafe-eval|https?:/);
  });

  it('accepts IPC only from the app’s own page: app://almanac/, or the dev server while developing', () => {
    const app = 'app://almanac/index.html';
    expect(isOwnPage('app://almanac/index.html', app)).toBe(true);
    expect(isOwnPage('app://almanac/index.html#/history', app)).toBe(true);
    expect(isOwnPage('app://evil/index.html', app)).toBe(false);
    expect(isOwnPage('evil://almanac/index.html', app)).toBe(false);
    expect(isOwnPage('file:///opt/almanac/out/renderer/index.html', app)).toBe(false);
    expect(isOwnPage('https://example.com/', app)).toBe(false);
    expect(isOwnPage(undefined, app)).toBe(false);
    expect(isOwnPage('not a url', app)).toBe(false);
    expect(isOwnPage('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
    expect(isOwnPage('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    // a file: page is never its own: the renderer is not served from file:// any more
    expect(isOwnPage('file:///tmp/index.html', 'file:///tmp/index.html')).toBe(false);
  });

  it('opens only http(s) links externally', () => {
    expect(isSafeExternalUrl('https://example.com/docs')).toBe(true);
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('smb://host/share')).toBe(false);
    expect(isSafeExternalUrl('https://user:pw@example.com')).toBe(false);
  });
});

describe('pages cannot leave, open windows or ask for permissions', () => {
  type Handler = (event: { preventDefault(): void; defaultPrevented?: boolean }, ...args: unknown[]) => void;
  function fakeContents() {
    const handlers = new Map<string, Handler>();
    let openHandler: ((details: { url: string }) => { action: string }) | null = null;
    return {
      handlers,
      open: (url: string) => openHandler!({ url }),
      fire(name: string) {
        const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
        handlers.get(name)!(event);
        return event.defaultPrevented;
      },
      contents: {
        on: (name: string, handler: Handler) => handlers.set(name, handler),
        setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
      },
    };
  }

  it('prevents navigation, redirects and webviews, and denies every new window', () => {
    const fake = fakeContents();
    const opened: string[] = [];
    hardenContents(fake.contents as never, (url) => opened.push(url));
    expect(fake.fire('will-navigate')).toBe(true);
    expect(fake.fire('will-redirect')).toBe(true);
    expect(fake.fire('will-attach-webview')).toBe(true);
    expect(fake.open('https://example.com/help')).toEqual({ action: 'deny' });
    expect(fake.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(fake.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    // only the validated http(s) link went to the person's browser
    expect(opened).toEqual(['https://example.com/help']);
  });

  it('refuses every permission request and check', () => {
    let request: ((c: unknown, p: string, callback: (granted: boolean) => void) => void) | null = null;
    let check: ((...args: unknown[]) => boolean) | null = null;
    hardenSession({
      setPermissionRequestHandler: (handler: typeof request) => (request = handler),
      setPermissionCheckHandler: (handler: typeof check) => (check = handler),
    } as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | null = null;
      request!(null, permission, (answer) => (granted = answer));
      expect(granted).toBe(false);
      expect(check!(null, permission, 'file:///', {})).toBe(false);
    }
  });
});
