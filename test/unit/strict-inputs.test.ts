/**
 * Inputs are strict (DESIGN.md §5, issue 15 "Bad input"): an unknown key anywhere in a schedule's
 * input is a VALIDATION error at that key's path, and nothing is stored. Rows stored before keep
 * loading and can still be patched.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../src/shared/api';
import type { Schedule } from '../../src/shared/domain';
import { call, quietLog, startTestApp, tempDir, type TestApp } from '../support/engine';

const START = '2026-03-20T12:00:00.000Z';
const base = {
  name: 'Strict',
  trigger: { type: 'cron', expression: '0 9 * * *', timezone: 'UTC' },
  action: { type: 'command', command: 'true', shell: true },
  policy: { overlap: 'skip' },
};
const watch = {
  type: 'watch',
  probe: { type: 'http', url: 'http://127.0.0.1:9/health' },
  until: { type: 'status', in: [200] },
};

/** base with `value` set at `at` (a dotted path). */
function withKey(at: string, value: unknown, input: Record<string, unknown> = base): Record<string, unknown> {
  const copy = structuredClone(input);
  const keys = at.split('.');
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
  return copy;
}

let app: TestApp;
afterEach(() => {
  app?.close();
  expect(quietLog.errors).toEqual([]);
});

async function refusedAt(method: string, input: unknown, path: string): Promise<void> {
  const result = (await app.dispatch(method, input)) as Result<unknown>;
  expect(result.ok, JSON.stringify(result)).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe('VALIDATION');
  expect(result.error.issues).toContainEqual({ path, message: `Unknown field "${path.split('.').pop()}"` });
  expect(result.error.message).toContain(path);
}

describe('unknown keys are refused, named, and nothing is stored', () => {
  it.each([
    ['overlapp', 'policy.overlapp'],
    ['whenbusy', 'policy.whenbusy'],
    ['typo', 'typo'],
    ['trigger', 'trigger.every'],
    ['action', 'action.stdin'],
    ['retries', 'policy.retries.attempts'],
    ['then', 'policy.then.onSucess'],
  ])('schedules.create: %s', async (_, at) => {
    app = startTestApp({ start: START });
    await refusedAt('schedules.create', withKey(at, 'x'), at);
    expect(await call(app, 'schedules.list', {})).toEqual({ items: [] });
  });

  it.each([
    ['action.probe.insecure', 'action.probe.insecure'],
    ['action.until.equal', 'action.until.equal'],
  ])('schedules.create, inside a watch: %s', async (at) => {
    app = startTestApp({ start: START });
    await refusedAt('schedules.create', withKey(at, 1, { ...base, action: watch }), at);
    expect(await call(app, 'schedules.list', {})).toEqual({ items: [] });
  });

  it('schedules.update: unknown keys in the patch, its trigger, action and policy', async () => {
    app = startTestApp({ start: START });
    const created = await call<Schedule>(app, 'schedules.create', base);
    for (const at of [
      'patch.colour',
      'patch.trigger.tz',
      'patch.action.args',
      'patch.policy.overlapp',
      'force',
    ]) {
      const patch = { name: 'Renamed', trigger: base.trigger, action: base.action, policy: {} };
      const input = withKey(at, 'x', { id: created.id, version: 1, patch });
      await refusedAt('schedules.update', input, at);
    }
    expect(await call(app, 'schedules.get', { id: created.id })).toEqual(created);
  });

  it('other methods too: preview, list, runs.list, calendar.slots', async () => {
    app = startTestApp({ start: START });
    await refusedAt('schedules.preview', { trigger: { ...base.trigger, zone: 'UTC' } }, 'trigger.zone');
    await refusedAt('schedules.list', { serch: 'x' }, 'serch');
    await refusedAt('runs.list', { limit: 5, page: 2 }, 'page');
    await refusedAt(
      'calendar.slots',
      { from: START, to: '2026-03-21T12:00:00Z', timezone: 'UTC', size: 30 },
      'size',
    );
  });

  it('several unknown keys: each is its own issue', async () => {
    app = startTestApp({ start: START });
    const result = await app.dispatch('schedules.create', { ...base, colour: 'red', icon: 'x' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.issues).toEqual([
        { path: 'colour', message: 'Unknown field "colour"' },
        { path: 'icon', message: 'Unknown field "icon"' },
      ]);
    }
  });
});

describe('schedules stored before strictness', () => {
  it.each([1, 2])('a schema-v%i database loads, lists, and takes a policy patch', async (version) => {
    const dataDir = tempDir();
    const fixture = path.resolve(import.meta.dirname, `../fixtures/schema-v${version}.db`);
    fs.copyFileSync(fixture, path.join(dataDir, 'almanac.db'));
    app = startTestApp({ start: START, dataDir });
    const { items } = await call<{ items: Schedule[] }>(app, 'schedules.list', {});
    expect(items.map((item) => item.name).sort()).toEqual(['Dentist', 'Nightly backup', 'Ping the hook']);
    const backup = items.find((item) => item.name === 'Nightly backup')!;
    const updated = await call<Schedule>(app, 'schedules.update', {
      id: backup.id,
      version: backup.version,
      patch: { policy: { priority: 3 } },
    });
    expect(updated.policy).toMatchObject({ priority: 3, timeoutSeconds: 3600, catchUp: 'latest' });
  });

  it('a stored policy key that the schema no longer knows does not refuse a patch', async () => {
    app = startTestApp({ start: START });
    const created = await call<Schedule>(app, 'schedules.create', base);
    // As a later Almanac might have left it: a policy field this version does not know.
    app.store.db
      .prepare('UPDATE schedules SET policy = json_set(policy, ?, ?) WHERE id = ?')
      .run('$.retiredField', 1, created.id);
    app.close();
    app = startTestApp({ start: START, dataDir: app.dataDir });
    const updated = await call<Schedule>(app, 'schedules.update', {
      id: created.id,
      version: 1,
      patch: { policy: { priority: 2 } },
    });
    expect(updated.policy).toMatchObject({ priority: 2 });
    expect(updated.policy).not.toHaveProperty('retiredField');
  });
});
