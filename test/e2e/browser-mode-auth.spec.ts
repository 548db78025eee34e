/**
 * Browser mode's security model in a real Chromium: the one-time token visit becomes an HttpOnly,
 * SameSite=Strict cookie and a clean URL; without it, the API answers 401 and the page says why.
 */
import { expect, test, type Page } from '@playwright/test';
import { findChromium } from '../support/browser';
import { serveAlmanac, type ServedAlmanac } from '../support/server';

test.skip(!findChromium(), 'No Chromium on this machine (set ALMANAC_CHROMIUM or apt-get install chromium)');

let served: ServedAlmanac;

/** A call the page itself makes: same origin, with whatever cookie the browser holds. */
function callFromPage(page: Page, method: string): Promise<{ code: number; body: unknown }> {
  return page.evaluate(async (name) => {
    const res = await fetch(`/api/${name}`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    return { code: res.status, body: await res.json() };
  }, method);
}
test.beforeEach(async () => {
  served = await serveAlmanac();
});
test.afterEach(async () => {
  await served.stop();
});

test('the token visit sets an HttpOnly SameSite=Strict cookie that the page cannot read, and drops the token from the URL', async ({
  page,
  context,
}) => {
  const response = await page.goto(`${served.url}?token=${served.token}`);
  expect(response?.ok()).toBe(true);
  await expect(page).toHaveURL(served.url);
  expect(page.url()).not.toContain(served.token);

  const cookies = await context.cookies(served.origin);
  expect(cookies).toHaveLength(1);
  expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', value: served.token });
  expect(
    await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie),
  ).toBe('');

  // the page's own calls ride on the cookie
  const status = await callFromPage(page, 'app.status');
  expect(status.code).toBe(200);
  expect(status.body).toMatchObject({ ok: true, value: { mode: 'browser' } });

  // and history survives a reload without the token
  await page.reload();
  await expect(page.getByRole('button', { name: /create/i })).toBeVisible();
});

test('without the cookie the API refuses with 401 and a wrong token gets no cookie', async ({
  page,
  context,
}) => {
  await page.goto(`${served.url}?token=not-the-token`);
  expect(await context.cookies(served.origin)).toEqual([]);
  const answer = await callFromPage(page, 'schedules.list');
  expect(answer.code).toBe(401);
  expect(answer.body).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
});

test('a page on another origin cannot make the server act (CSRF), even after the cookie was set', async ({
  page,
  request,
}) => {
  await page.goto(`${served.url}?token=${served.token}`);
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
