/** The API as a spec calls it beside the page: the page's own origin and token, a refusal failing the test by name. */
import { expect, type Page } from '@playwright/test';
import type { ServedAlmanac } from './server';

export async function callApi<T>(
  page: Page,
  served: ServedAlmanac,
  method: string,
  input: unknown,
): Promise<T> {
  const response = await page.request.post(`${served.origin}/api/${method}`, {
    headers: { authorization: `Bearer ${served.token}` },
    data: input,
  });
  const body = (await response.json()) as { ok: boolean; value: T; error?: unknown };
  expect(body.ok, `${method}: ${JSON.stringify(body.error ?? body)}`).toBe(true);
  return body.value;
}
