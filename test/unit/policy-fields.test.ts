/**
 * The two policy fields through the contract: whenBusy (issue 15 §5) and conditions (issue 16 §2)
 * are stored, patched, cleared, refused when misspelt (naming the key), and travel in the export
 * document and back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentImport, ExportDocument, Result, Schedule } from '../../src/shared/api';
import { call, quietLog, startTestApp, type TestApp } from '../support/engine';

const input = (policy: Record<string, unknown>) => ({
  name: 'Backup',
  trigger: { type: 'cron', expression: '0 2 * * *', timezone: 'Europe/Berlin' },
  action: { type: 'reminder', title: 'Backup' },
  policy,
});

describe('whenBusy and conditions in the contract', () => {
  const apps: TestApp[] = [];
  afterEach(() => {
    for (const app of apps.splice(0)) app.close();
    expect(quietLog.errors).toEqual([]);
  });
  const start = () => {
    const app = startTestApp({ start: '2026-03-02T10:00:00Z' });
    apps.push(app);
    return app;
  };

  it('are stored with their defaults, patched, and cleared', async () => {
    const app = start();
    const plain = await call<Schedule>(app, 'schedules.create', input({}));
    expect(plain.policy.whenBusy).toBe('run');
    expect(plain.policy.conditions).toBeUndefined();
    const made = await call<Schedule>(
      app,
      'schedules.create',
      input({ whenBusy: 'defer', conditions: { onACPower: true, idleForSeconds: 300 } }),
    );
    expect(made.policy).toMatchObject({
      whenBusy: 'defer',
      conditions: { onACPower: true, idleForSeconds: 300 },
    });
    const patched = await call<Schedule>(app, 'schedules.update', {
      id: made.id,
      version: made.version,
      patch: { policy: { whenBusy: 'skip' } },
    });
    // a patch naming one field keeps the other
    expect(patched.policy).toMatchObject({
      whenBusy: 'skip',
      conditions: { onACPower: true, idleForSeconds: 300 },
    });
    const cleared = await call<Schedule>(app, 'schedules.update', {
      id: made.id,
      version: patched.version,
      patch: { policy: { conditions: {} } },
    });
    expect(cleared.policy.conditions).toEqual({});
    expect((await call<Schedule>(app, 'schedules.get', { id: made.id })).policy).toMatchObject({
      whenBusy: 'skip',
      conditions: {},
    });
  });

  it.each([
    [{ whenBusy: 'later' }, 'policy.whenBusy'],
    [{ conditions: { onAC: true } }, 'policy.conditions.onAC'],
    [{ conditions: { idleForSeconds: 0 } }, 'policy.conditions.idleForSeconds'],
    [{ conditions: { idleForSeconds: 86_401 } }, 'policy.conditions.idleForSeconds'],
  ])('refuses %j with VALIDATION at %s, storing nothing', async (policy, path) => {
    const app = start();
    const result = (await app.dispatch('schedules.create', input(policy))) as Result<Schedule>;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.issues?.map((issue) => issue.path)).toContain(path);
    expect((await call<{ items: Schedule[] }>(app, 'schedules.list', {})).items).toEqual([]);
  });

  it('travel in the export document and back', async () => {
    const app = start();
    await call(app, 'schedules.create', input({ whenBusy: 'skip', conditions: { idleForSeconds: 120 } }));
    const document = await call<ExportDocument>(app, 'schedules.export', {});
    expect(document.schedules[0]!.policy).toMatchObject({
      whenBusy: 'skip',
      conditions: { idleForSeconds: 120 },
    });
    const other = start();
    const imported = await call<DocumentImport>(other, 'schedules.import', { document });
    expect(imported.created).toBe(1);
    const again = await call<ExportDocument>(other, 'schedules.export', {});
    expect(again.schedules).toEqual(document.schedules);
  });
});
