/** Bad input is refused with VALIDATION naming the field, and nothing is stored. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Schedule } from '../../src/shared/api';
import { call, startTestApp, type TestApp } from '../support/engine';
import { DORMANT } from '../support/engine-runs';

let app: TestApp;
afterEach(() => app?.close());

const command = { type: 'command', command: 'true' };
const probe = { type: 'http', url: 'http://127.0.0.1:9/health' };

const cases: [string, Record<string, unknown>, string][] = [
  ['a URL with another scheme', { action: { type: 'http', url: 'ftp://example.com/file' } }, 'action.url'],
  ['a URL that is no URL', { action: { type: 'http', url: 'not a url' } }, 'action.url'],
  [
    'a header with a newline',
    { action: { type: 'http', url: 'https://example.com', headers: { 'X-Evil': 'a\r\nInjected: yes' } } },
    'action.headers.X-Evil',
  ],
  ['a negative timeout', { action: command, policy: { timeoutSeconds: -1 } }, 'policy.timeoutSeconds'],
  ['an empty command', { action: { type: 'command', command: '' } }, 'action.command'],
  ['a command of only whitespace', { action: { type: 'command', command: ' \t\n ' } }, 'action.command'],
  [
    'maxAttempts above 100',
    { action: command, policy: { retries: { maxAttempts: 101 } } },
    'policy.retries.maxAttempts',
  ],
  [
    'a watch with maxAttempts above 100',
    { action: { type: 'watch', probe, maxAttempts: 101 } },
    'action.maxAttempts',
  ],
  [
    'a watch probe with another scheme',
    { action: { type: 'watch', probe: { type: 'http', url: 'file:///etc/passwd' } } },
    'action.probe.url',
  ],
  [
    'a watch message with an unknown placeholder',
    { action: { type: 'watch', probe, onSuccessMessage: 'Done: {reslt}' } },
    'action.onSuccessMessage',
  ],
  [
    'a reminder with an unknown placeholder',
    { action: { type: 'reminder', title: 'Hi {user}', body: '' } },
    'action.title',
  ],
  [
    'a status condition on a command probe',
    { action: { type: 'watch', probe: command, until: { type: 'status', in: [200] } } },
    'action.until.type',
  ],
  [
    'a JSON condition without values',
    { action: { type: 'watch', probe, until: { type: 'json', path: 'state', equals: [] } } },
    'action.until.equals',
  ],
  [
    'a chain to a schedule that does not exist',
    { action: command, policy: { then: { onSuccess: ['nope'] } } },
    'policy.then.onSuccess.0',
  ],
];

describe('bad input is refused at save, naming the field', () => {
  for (const [what, fields, path] of cases) {
    it(what, async () => {
      app = startTestApp();
      const result = await app.dispatch('schedules.create', { name: 'bad', trigger: DORMANT, ...fields });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('VALIDATION');
      expect(result.error.issues?.map((issue) => issue.path)).toContain(path);
      expect(result.error.message).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}: `));
      expect((await call<{ items: Schedule[] }>(app, 'schedules.list', {})).items).toEqual([]);
      expect(app.store.runs.list({ limit: 10 })).toEqual([]);
    });
  }

  it('an update with bad input changes nothing', async () => {
    app = startTestApp();
    const s = await call<Schedule>(app, 'schedules.create', {
      name: 'fine',
      trigger: DORMANT,
      action: command,
    });
    const result = await app.dispatch('schedules.update', {
      id: s.id,
      version: s.version,
      patch: { action: { type: 'http', url: 'gopher://old.example/' } },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', issues: [{ path: 'patch.action.url' }] },
    });
    expect(await call<Schedule>(app, 'schedules.get', { id: s.id })).toEqual(s);
  });

  it('known placeholders and literal braces are accepted', async () => {
    app = startTestApp();
    const s = await call<Schedule>(app, 'schedules.create', {
      name: 'fine',
      trigger: DORMANT,
      action: {
        type: 'watch',
        probe,
        until: { type: 'json', path: 'items.0.state', equals: ['done', 1, true, null] },
        onSuccessMessage: '{name} after {attempts}: {result} {"literal": true} {}',
      },
    });
    expect(s.action).toMatchObject({
      type: 'watch',
      intervalSeconds: 30,
      maxAttempts: 20,
      probeTimeoutSeconds: 60,
    });
    expect(s.policy.then).toEqual({ onSuccess: [], onFailure: [] });
  });
});
