/**
 * Browser mode's security model in a real Chromium: the printed address carries the token in its
 * fragment; the page keeps it in sessionStorage and sends it as `Authorization: Bearer` on every
 * call and on the event stream; no cookie exists, so no other server on 127.0.0.1 ever receives it.
 */
import { expect, test, type Page, type Request } from '@playwright/test';
import { findChromium } from '../support/browser';
import { startServer, type TestServer } from '../support/http-server';
import { serveAlmanac, type ServedAlmanac } from '../support/server';

test.skip(!findChromium(), 'No Chromium on this machine (set ALMANAC_CHROMIUM or apt-get install chromium)');

let served: ServedAlmanac;
test.afterEach(async () => {
  await served.stop();
});

/** The few page globals these tests touch (the e2e project compiles without the DOM library). */
interface PageGlobals {
  sessionStorage: { getItem(key: string): string | null };
  document: {
    cookie: string;
    body: { append(node: unknown): void };
    createElement(tag: string): { src: string; href: string; textContent: string; id: string };
  };
}

interface Seen {
  url: string;
  headers: Record<string, string>;
}

/** Every request the page makes (navigations, fetches, the event stream), with all its headers. */
function recordRequests(page: Page): Seen[] {
  const seen: Seen[] = [];
  page.on('request', (request: Request) => {
    void request.allHeaders().then((headers) => seen.push({ url: request.url(), headers }));
  });
  return seen;
}

test('the fragment token: taken, removed from the address bar, kept for the tab, sent as Bearer everywhere; no cookie', async ({
  page,
  context,
}) => {
  served = await serveAlmanac();
  const seen = recordRequests(page);
  await page.goto(served.pageUrl);
  await expect(page.getByText('Engine: Idle')).toBeVisible();
  await expect(page).toHaveURL(served.url);
  expect(page.url()).not.toContain(served.token);

  const stored = await page.evaluate(() =>
    (globalThis as unknown as PageGlobals).sessionStorage.getItem('almanac.token'),
  );
  expect(stored).toBe(served.token);
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.cookie)).toBe('');
  expect(await context.cookies()).toEqual([]);

  await expect
    .poll(() => seen.filter((request) => new URL(request.url).pathname === '/api/events').length)
    .toBeGreaterThan(0);
  const api = seen.filter((request) => new URL(request.url).pathname.startsWith('/api/'));
  expect(api.length).toBeGreaterThan(3);
  for (const request of api)
    expect(request.headers.authorization, request.url).toBe(`Bearer ${served.token}`);
  for (const request of seen) {
    expect(request.url).not.toContain(served.token);
    expect(request.headers.cookie).toBeUndefined();
  }

  // a reload of the clean address still works: the tab kept the token
  await page.reload();
  await expect(page.getByText('Engine: Idle')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a tab opened without the token says which address to open, naming the command that started Almanac', async ({
  page,
}) => {
  served = await serveAlmanac({ env: { npm_lifecycle_event: 'start' } });
  await page.goto(served.url);
  await expect(page.getByTestId('token-needed')).toHaveText(
    'This page needs its token. Almanac needs its token: open the address that `npm start` printed (it ends in #token=…).',
  );
  await expect(page.getByRole('alert')).toHaveCount(1);
});

test('a wrong token is refused: the page says so and the server answers 401', async ({ page, request }) => {
  served = await serveAlmanac();
  await page.goto(`${served.url}#token=${'x'.repeat(40)}`);
  await expect(page.getByTestId('token-needed')).toContainText("That is not this server's token");
  const answer = await request.post(`${served.origin}/api/schedules.list`, {
    headers: { authorization: `Bearer ${'x'.repeat(40)}` },
    data: {},
  });
  expect(answer.status()).toBe(401);
});

test.describe('another server on 127.0.0.1', () => {
  let other: TestServer;
  test.beforeEach(async () => {
    other = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>Other</title><p>another local server</p>');
    });
  });
  test.afterEach(() => other.close());

  test('receives no credential when the Almanac page links to it, or the person opens it in the same browser', async ({
    page,
  }) => {
    served = await serveAlmanac();
    // the old form of the address (it once set a cookie for 127.0.0.1, which ignores ports), then the printed one
    await page.goto(`${served.url}?token=${served.token}`);
    await page.goto(served.pageUrl);
    await expect(page.getByText('Engine: Idle')).toBeVisible();

    await page.evaluate(async (target) => {
      const document = (globalThis as unknown as PageGlobals).document;
      // what a page could try: a credentialed fetch and an image (the CSP keeps both from leaving), a link
      await fetch(`${target}/fetched`, { mode: 'no-cors', credentials: 'include' }).catch(() => {});
      const image = document.createElement('img');
      image.src = `${target}/image.png`;
      document.body.append(image);
      const link = document.createElement('a');
      link.href = `${target}/linked`;
      link.textContent = 'a link to another local server';
      link.id = 'other-link';
      document.body.append(link);
    }, other.url);
    await page.locator('#other-link').click();
    await expect(page).toHaveURL(`${other.url}/linked`);
    await expect(page.getByText('another local server')).toBeVisible();
    // and the person, in the same browser, opens the other server by hand
    await page.goto(`${other.url}/typed`);

    expect(other.requests.map((request) => request.url)).toEqual(
      expect.arrayContaining(['/linked', '/typed']),
    );
    for (const request of other.requests) {
      const everything = `${request.url}\n${JSON.stringify(request.headers)}\n${request.body}`;
      expect(everything).not.toContain(served.token);
      expect(request.headers.cookie).toBeUndefined();
      expect(request.headers.authorization).toBeUndefined();
    }
  });
});

test('a page on another origin cannot make the server act (CSRF): the simple request carries nothing and is refused', async ({
  page,
  request,
}) => {
  served = await serveAlmanac();
  await page.goto(served.pageUrl);
  await expect(page.getByText('Engine: Idle')).toBeVisible();
  // 127.0.0.1 and localhost are different origins (and sites): the page at localhost is foreign
  await page.goto(served.url.replace('127.0.0.1', 'localhost')).catch(() => {});
  await page.evaluate(async (target) => {
    const schedule = {
      name: 'Planted',
      trigger: { type: 'cron', expression: '* * * * *', timezone: 'UTC' },
      action: { type: 'command', command: 'echo pwned' },
    };
    // a "simple" request: the browser sends it without a preflight, so only the server can refuse it
    await fetch(`${target}api/schedules.create`, {
      method: 'POST',
      mode: 'no-cors',
      credentials: 'include',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(schedule),
    }).catch(() => {});
  }, served.url);
  const list = await request.post(`${served.origin}/api/schedules.list`, {
    headers: { authorization: `Bearer ${served.token}` },
    data: {},
  });
  expect((await list.json()).value.items).toEqual([]);
});
