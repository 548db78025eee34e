/**
 * app://almanac/ (Electron security checklist 18): which page loads, and which file a request may
 * read. Real folders and real symlinks in a temp dir.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_PAGE_URL,
  APP_SCHEME,
  pageUrl,
  rendererFile,
  serveRenderer,
} from '../../src/main/desktop-rules/protocol';
import { CONTENT_SECURITY_POLICY } from '../../src/main/desktop-rules/security';

let top: string;
let renderer: string;

beforeAll(() => {
  top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'almanac-protocol-')));
  renderer = path.join(top, 'renderer');
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(renderer, 'assets', 'index-1.js'), 'export {};');
  fs.writeFileSync(path.join(renderer, 'assets', 'a b.css'), 'body{}');
  // a sibling whose name starts like the root, and a secret beside them
  fs.mkdirSync(path.join(top, 'renderer-private'));
  fs.writeFileSync(path.join(top, 'renderer-private', 'key.txt'), 'secret');
  fs.writeFileSync(path.join(top, 'secret.txt'), 'secret');
  fs.symlinkSync(path.join(top, 'secret.txt'), path.join(renderer, 'leak.txt'));
  fs.symlinkSync(top, path.join(renderer, 'up'));
  fs.symlinkSync(path.join(renderer, 'assets', 'index-1.js'), path.join(renderer, 'alias.js'));
});

afterAll(() => fs.rmSync(top, { recursive: true, force: true }));

describe('the page a window loads', () => {
  it.each([
    { isPackaged: true, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173/' }, page: APP_PAGE_URL },
    {
      isPackaged: false,
      env: { ELECTRON_RENDERER_URL: 'http://localhost:5173/' },
      page: 'http://localhost:5173/',
    },
    { isPackaged: false, env: {}, page: APP_PAGE_URL },
    { isPackaged: false, env: { ELECTRON_RENDERER_URL: '' }, page: APP_PAGE_URL },
  ])('packaged $isPackaged, env $env → $page', ({ isPackaged, env, page }) => {
    expect(pageUrl(isPackaged, env)).toBe(page);
  });

  it('is app://almanac/index.html, on a standard, secure scheme that bypasses neither CSP nor CORS', () => {
    expect(APP_PAGE_URL).toBe('app://almanac/index.html');
    expect(APP_SCHEME.scheme).toBe('app');
    expect(APP_SCHEME.privileges).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME.privileges?.bypassCSP).toBeFalsy();
    expect(APP_SCHEME.privileges?.corsEnabled).toBeFalsy();
  });
});

describe('the file an app:// request may read', () => {
  it.each([
    ['app://almanac/', 'index.html'],
    ['app://almanac/index.html', 'index.html'],
    ['app://almanac/index.html?x=1#/history', 'index.html'],
    ['app://almanac/assets/index-1.js', 'assets/index-1.js'],
    ['app://almanac/assets/a%20b.css', 'assets/a b.css'],
    ['app://almanac/alias.js', 'assets/index-1.js'], // a link that stays inside
  ])('%s → %s', (url, file) => {
    expect(rendererFile(renderer, url)).toBe(path.join(renderer, file));
  });

  it.each([
    'app://elsewhere/index.html', // another host
    'file:///index.html',
    'https://almanac/index.html',
    'app://almanac/../secret.txt',
    'app://almanac/%2e%2e/secret.txt',
    'app://almanac/..%2fsecret.txt',
    'app://almanac/..%5csecret.txt',
    'app://almanac/%2e%2e%2frenderer-private%2fkey.txt', // the sibling named like the root
    'app://almanac/leak.txt', // a link out of the folder
    'app://almanac/up/secret.txt', // a linked folder out of it
    'app://almanac/assets', // a folder
    'app://almanac/missing.js',
    'app://almanac/%E0%A4%A', // a malformed escape
    'app://almanac/index.html%00.js',
    'not a url',
  ])('%s is refused', (url) => {
    expect(rendererFile(renderer, url)).toBeNull();
  });
});

describe('the protocol handler', () => {
  const fetched: string[] = [];
  const handler = () =>
    serveRenderer(renderer, async (fileUrl) => {
      fetched.push(fileUrl);
      return new Response('body', { headers: { 'content-type': 'text/javascript' } });
    });

  it('serves a renderer file under the CSP header, keeping its content type', async () => {
    const response = await handler()(new Request('app://almanac/assets/index-1.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('content-type')).toBe('text/javascript');
    expect(await response.text()).toBe('body');
    expect(fetched.at(-1)).toBe(pathToFileURL(path.join(renderer, 'assets', 'index-1.js')).href);
  });

  it('answers 404 for anything refused, without reading it', async () => {
    const before = fetched.length;
    const response = await handler()(new Request('app://almanac/leak.txt'));
    expect(response.status).toBe(404);
    expect(fetched).toHaveLength(before);
  });
});
