import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  isOwnPage,
  isSafeExternalUrl,
  windowOptions,
} from '../../src/main/desktop/security';

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

  it("has a strict CSP: script-src 'self', no objects, no framing", () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values];
      }),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:/);
  });

  it('accepts IPC only from the app’s own page', () => {
    const app = 'file:///opt/almanac/out/renderer/index.html';
    expect(isOwnPage('file:///opt/almanac/out/renderer/index.html', app)).toBe(true);
    expect(isOwnPage('file:///tmp/evil.html', app)).toBe(false);
    expect(isOwnPage('https://example.com/', app)).toBe(false);
    expect(isOwnPage(undefined, app)).toBe(false);
    expect(isOwnPage('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
    expect(isOwnPage('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });

  it('opens only http(s) links externally', () => {
    expect(isSafeExternalUrl('https://example.com/docs')).toBe(true);
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('smb://host/share')).toBe(false);
    expect(isSafeExternalUrl('https://user:pw@example.com')).toBe(false);
  });
});
