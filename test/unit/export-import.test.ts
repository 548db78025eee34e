/**
 * schedules.export and schedules.import (issue 15 §3): a versioned document, chains by name, no run
 * history; export → import into an empty data directory → export again gives the same document.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentImport, ExportDocument, Result } from '../../src/shared/api';
import type { Schedule } from '../../src/shared/domain';
import { call, quietLog, startTestApp, type TestApp } from '../support/engine';

const START = '2026-03-20T12:00:00.000Z';
const reminder = (title: string) => ({ type: 'reminder', title, body: '' });
const cron = (expression: string, timezone = 'UTC') => ({ type: 'cron', expression, timezone });

let apps: TestApp[] = [];
afterEach(() => {
  for (const app of apps) app.close();
  apps = [];
  expect(quietLog.errors).toEqual([]);
});
function fresh(): TestApp {
  const app = startTestApp({ start: START });
  apps.push(app);
  return app;
}

/** A world with every trigger and action kind, groups, a paused one, custom policies and chains. */
async function populate(app: TestApp): Promise<Record<string, Schedule>> {
  const create = (input: Record<string, unknown>) => call<Schedule>(app, 'schedules.create', input);
  const report = await create({
    name: 'Send report',
    group: 'reports',
    trigger: cron('5/15 9-17 ? * MON-FRI', 'Europe/Berlin'),
    action: {
      type: 'http',
      method: 'POST',
      url: 'http://127.0.0.1:9/report',
      headers: { 'x-a': '1' },
      body: '{}',
    },
    policy: { overlap: 'bufferOne', retries: { maxAttempts: 3, backoffSeconds: 10 }, priority: 8 },
  });
  const cleanup = await create({
    name: 'Clean up',
    notes: 'after the report',
    trigger: { type: 'interval', everySeconds: 3600, timezone: 'UTC', startAt: '2026-03-21T00:00:00.000Z' },
    action: { type: 'command', command: 'rm -rf /tmp/report-*', shell: true, env: { A: 'b' } },
  });
  const alarm = await create({
    name: 'Alarm',
    enabled: false,
    trigger: { type: 'once', at: '2026-12-24T18:00', timezone: 'Europe/Berlin' },
    action: reminder('Presents'),
    policy: { notify: 'always', catchUp: 'none' },
  });
  const watch = await create({
    name: 'Wait for build',
    group: 'reports',
    trigger: cron('0 8 * * *'),
    action: {
      type: 'watch',
      probe: { type: 'http', url: 'http://127.0.0.1:9/build' },
      until: { type: 'json', path: 'status', equals: ['done'] },
      intervalSeconds: 60,
      maxAttempts: 5,
    },
    policy: { then: { onSuccess: [report.id], onFailure: [alarm.id] } },
  });
  const updated = await call<Schedule>(app, 'schedules.update', {
    id: report.id,
    version: report.version,
    patch: { policy: { then: { onSuccess: [cleanup.id], onFailure: [] } } },
  });
  return { report: updated, cleanup, alarm, watch };
}

const withoutStamp = (document: ExportDocument) => ({ ...document, exportedAt: '<exportedAt>' });

describe('schedules.export', () => {
  it('writes every definition, chains by name, no history, ordered by name', async () => {
    const app = fresh();
    await populate(app);
    const document = await call<ExportDocument>(app, 'schedules.export', {});
    expect(document.almanac).toBe(1);
    expect(document.exportedAt).toBe(START);
    expect(document.schedules.map((schedule) => schedule.name)).toEqual([
      'Alarm',
      'Clean up',
      'Send report',
      'Wait for build',
    ]);
    const [alarm, , report, watch] = document.schedules;
    expect(watch!.policy.then).toEqual({ onSuccess: ['Send report'], onFailure: ['Alarm'] });
    expect(report!.policy.then).toEqual({ onSuccess: ['Clean up'], onFailure: [] });
    expect(report!.trigger).toEqual(cron('5-59/15 9-17 * * MON-FRI', 'Europe/Berlin'));
    expect(alarm).toMatchObject({
      enabled: false,
      group: null,
      policy: { notify: 'always', catchUp: 'none' },
    });
    // Definitions only: nothing of ids, counters, next runs or history.
    expect(Object.keys(report!).sort()).toEqual([
      'action',
      'enabled',
      'group',
      'name',
      'notes',
      'policy',
      'trigger',
    ]);
    expect(JSON.stringify(document)).not.toMatch(/"id"|nextFireAt|totalRuns|version"/);
  });

  it('round-trips: export → import into an empty data directory → export gives the same document', async () => {
    const source = fresh();
    await populate(source);
    const first = await call<ExportDocument>(source, 'schedules.export', {});
    const target = fresh();
    const imported = await call<DocumentImport>(target, 'schedules.import', { document: first });
    expect(imported).toMatchObject({ created: 4, replaced: 0, skipped: 0 });
    target.clock.advance(60_000);
    const second = await call<ExportDocument>(target, 'schedules.export', {});
    expect(second.exportedAt).not.toBe(first.exportedAt);
    expect(withoutStamp(second)).toEqual(withoutStamp(first));
    // The chains point at the new schedules, by id.
    const { items } = await call<{ items: Schedule[] }>(target, 'schedules.list', {});
    const byName = new Map(items.map((item) => [item.name, item]));
    expect(byName.get('Wait for build')!.policy.then).toEqual({
      onSuccess: [byName.get('Send report')!.id],
      onFailure: [byName.get('Alarm')!.id],
    });
  });

  it('tells apart two schedules with one name, and their chains stay right', async () => {
    const app = fresh();
    const first = await call<Schedule>(app, 'schedules.create', {
      name: 'Ping',
      trigger: cron('0 1 * * *'),
      action: reminder('1'),
    });
    app.clock.advance(1000);
    const second = await call<Schedule>(app, 'schedules.create', {
      name: 'Ping',
      trigger: cron('0 2 * * *'),
      action: reminder('2'),
    });
    await call(app, 'schedules.create', {
      name: 'Caller',
      trigger: cron('0 3 * * *'),
      action: reminder('3'),
      policy: { then: { onSuccess: [second.id], onFailure: [first.id] } },
    });
    const document = await call<ExportDocument>(app, 'schedules.export', {});
    expect(document.schedules.map((schedule) => [schedule.name, schedule.trigger])).toEqual([
      ['Caller', cron('0 3 * * *')],
      ['Ping', cron('0 1 * * *')],
      ['Ping (2)', cron('0 2 * * *')],
    ]);
    expect(document.schedules[0]!.policy.then).toEqual({ onSuccess: ['Ping (2)'], onFailure: ['Ping'] });
  });
});

describe('schedules.import', () => {
  const document = (schedules: unknown[], almanac = 1) => ({ almanac, exportedAt: START, schedules });
  const item = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    trigger: cron('0 9 * * *'),
    action: reminder(name),
    ...extra,
  });
  const chain = (onSuccess: string[], onFailure: string[] = []) => ({
    policy: { then: { onSuccess, onFailure } },
  });
  const names = async (app: TestApp) =>
    (await call<{ items: Schedule[] }>(app, 'schedules.list', {})).items.map((schedule) => schedule.name);
  async function refused(app: TestApp, input: unknown, path: string, message: string | RegExp) {
    const result = (await app.dispatch('schedules.import', input)) as Result<unknown>;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    const issue = result.error.issues?.find((candidate) => candidate.path === path);
    expect(issue, JSON.stringify(result.error)).toBeDefined();
    expect(issue!.message).toMatch(message);
  }

  it("onConflict: 'skip' keeps, 'replace' overwrites (same id, history kept), 'copy' adds a renamed one", async () => {
    const app = fresh();
    const existing = await call<Schedule>(app, 'schedules.create', item('Backup', { notes: 'old' }));
    const incoming = document([item('Backup', { notes: 'new' }), item('Fresh')]);

    const skipped = await call<DocumentImport>(app, 'schedules.import', {
      document: incoming,
      onConflict: 'skip',
    });
    expect(skipped.items).toEqual([
      { name: 'Backup', status: 'skipped', message: '“Backup” is already in Almanac; kept as it is' },
      { name: 'Fresh', status: 'created', id: expect.any(String) },
    ]);
    expect((await call<Schedule>(app, 'schedules.get', { id: existing.id })).notes).toBe('old');

    const replaced = await call<DocumentImport>(app, 'schedules.import', {
      document: document([item('Backup', { notes: 'new' })]),
      onConflict: 'replace',
    });
    expect(replaced.items).toEqual([{ name: 'Backup', status: 'replaced', id: existing.id }]);
    expect(await call<Schedule>(app, 'schedules.get', { id: existing.id })).toMatchObject({
      notes: 'new',
      version: 2,
    });

    const copied = await call<DocumentImport>(app, 'schedules.import', {
      document: document([item('Backup', { notes: 'copy' })]),
      onConflict: 'copy',
    });
    expect(copied.items).toEqual([
      { name: 'Backup', status: 'created', storedAs: 'Backup (2)', id: expect.any(String) },
    ]);
    expect(await names(app)).toEqual(['Backup', 'Backup (2)', 'Fresh']);
  });

  it('a dry run says what would happen and stores nothing', async () => {
    const app = fresh();
    await call(app, 'schedules.create', item('Backup'));
    const result = await call<DocumentImport>(app, 'schedules.import', {
      document: document([item('Backup'), item('New', chain(['Backup']))]),
      onConflict: 'replace',
      dryRun: true,
    });
    expect(result).toEqual({
      items: [
        { name: 'Backup', status: 'replaced', id: expect.any(String) },
        { name: 'New', status: 'created' },
      ],
      created: 1,
      replaced: 1,
      skipped: 0,
    });
    expect(await names(app)).toEqual(['Backup']);
  });

  it('re-links chains by name: within the document, or to a schedule already in Almanac', async () => {
    const app = fresh();
    const kept = await call<Schedule>(app, 'schedules.create', item('Existing'));
    await call(app, 'schedules.import', {
      document: document([item('A', chain(['B'], ['Existing'])), item('B', chain(['C'])), item('C')]),
    });
    const { items } = await call<{ items: Schedule[] }>(app, 'schedules.list', {});
    const id = (name: string) => items.find((schedule) => schedule.name === name)!.id;
    expect(items.find((schedule) => schedule.name === 'A')!.policy.then).toEqual({
      onSuccess: [id('B')],
      onFailure: [kept.id],
    });
    expect(items.find((schedule) => schedule.name === 'B')!.policy.then).toEqual({
      onSuccess: [id('C')],
      onFailure: [],
    });
  });

  it('refuses loops, within the document and through schedules already in Almanac, storing nothing', async () => {
    const app = fresh();
    await refused(
      app,
      { document: document([item('A', chain(['B'])), item('B', chain([], ['A']))]) },
      'document.schedules.0.policy.then',
      'These chains would loop: “A” → “B” → “A”',
    );
    await refused(
      app,
      { document: document([item('Self', chain(['Self']))]) },
      'document.schedules.0.policy.then',
      'These chains would loop: “Self” → “Self”',
    );
    const x = await call<Schedule>(app, 'schedules.create', item('X'));
    await call(
      app,
      'schedules.create',
      item('Y', { policy: { then: { onSuccess: [x.id], onFailure: [] } } }),
    );
    // Replacing X so that it chains to Y closes X → Y → X.
    await refused(
      app,
      { document: document([item('X', chain(['Y']))]), onConflict: 'replace' },
      'document.schedules.0.policy.then',
      /would loop: .*“X”.*“Y”/,
    );
    expect(await names(app)).toEqual(['X', 'Y']);
  });

  it('refuses a newer format, duplicate names, unknown chain targets and unknown keys, naming the field', async () => {
    const app = fresh();
    await refused(
      app,
      { document: document([item('A')], 2) },
      'document.almanac',
      'This document comes from a newer Almanac; this one reads format 1',
    );
    await refused(
      app,
      { document: document([item('A'), item('a')]) },
      'document.schedules.1.name',
      'Schedule 1 already has the name “a”',
    );
    await refused(
      app,
      { document: document([item('A', chain(['Nobody']))]) },
      'document.schedules.0.policy.then.onSuccess.0',
      'No schedule named “Nobody” in the document or in Almanac',
    );
    await refused(
      app,
      { document: document([item('A', { colour: 'red' })]) },
      'document.schedules.0.colour',
      'Unknown field "colour"',
    );
    await refused(
      app,
      { document: { ...document([]), history: [] } },
      'document.history',
      'Unknown field "history"',
    );
    await refused(
      app,
      { document: document([item('A', { trigger: cron('61 * * * *') })]) },
      'document.schedules.0.trigger.expression',
      'Minute must be 0–59; you wrote 61',
    );
    await refused(app, { document: document([]), onConflict: 'merge' }, 'onConflict', /skip|replace|copy/);
    expect(await names(app)).toEqual([]);
  });

  it('a once whose time has passed is skipped, and nothing chains to it', async () => {
    const app = fresh();
    const past = item('Gone', { trigger: { type: 'once', at: '2026-01-01T09:00', timezone: 'UTC' } });
    const result = await call<DocumentImport>(app, 'schedules.import', {
      document: document([past, item('Ok')]),
    });
    expect(result.items[0]).toEqual({
      name: 'Gone',
      status: 'skipped',
      message: 'Its time (2026-01-01T09:00) has already passed',
    });
    await refused(
      app,
      { document: document([past, item('Caller', chain(['Gone']))]) },
      'document.schedules.1.policy.then.onSuccess.0',
      /“Gone” is not imported/,
    );
  });
});
