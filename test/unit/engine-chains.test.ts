/** Chains (policy.then): started as `chain` runs with parentRunId, output passed on, loops refused at save, depth capped. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Run, Schedule } from '../../src/shared/api';
import { CHAIN_DEPTH_CAP } from '../../src/main/engine/engine';
import { call, startTestApp, type TestApp } from '../support/engine';
import { advanceUntil, create, detail, runsOf } from '../support/engine-runs';

let app: TestApp;
afterEach(() => app?.close());

const cmd = (command: string) => ({ type: 'command', command });

async function runAndSettle(id: string): Promise<Run> {
  const run = await call<Run>(app, 'schedules.runNow', { id });
  await app.engine.whenIdle();
  return run;
}

async function update(s: Schedule, patch: Record<string, unknown>) {
  const current = await call<Schedule>(app, 'schedules.get', { id: s.id });
  return app.dispatch('schedules.update', { id: s.id, version: current.version, patch });
}

describe('chains', () => {
  it('a chain passes its output to its child: ALMANAC_PARENT_OUTPUT for commands', async () => {
    app = startTestApp();
    const child = await create(app, {
      name: 'child',
      action: cmd('printf "got: %s" "$ALMANAC_PARENT_OUTPUT"'),
    });
    const parent = await create(app, {
      name: 'parent',
      action: cmd('echo hello from the parent'),
      policy: { then: { onSuccess: [child.id] } },
    });
    const run = await runAndSettle(parent.id);
    const [chained] = await runsOf(app, child.id);
    expect(chained).toMatchObject({ trigger: 'chain', parentRunId: run.id, status: 'succeeded', attempt: 1 });
    expect((await detail(app, chained!.id)).output).toBe('got: hello from the parent\n');
  });

  it('{result} in a chained reminder is the parent’s output', async () => {
    app = startTestApp();
    const reminder = await create(app, {
      name: 'tell me',
      action: { type: 'reminder', title: 'Backup done', body: '{name} saw: {result}' },
    });
    const parent = await create(app, {
      name: 'backup',
      action: cmd('echo 3 files saved'),
      policy: { then: { onSuccess: [reminder.id] } },
    });
    await runAndSettle(parent.id);
    expect(app.of('notification')).toMatchObject([
      { scheduleId: reminder.id, title: 'Backup done', body: 'tell me saw: 3 files saved', level: 'info' },
    ]);
  });

  it('onSuccess follows a success and onFailure a failure, never the other', async () => {
    app = startTestApp();
    const ok = await create(app, { name: 'on success', action: cmd('true') });
    const bad = await create(app, { name: 'on failure', action: cmd('true') });
    const then = { onSuccess: [ok.id], onFailure: [bad.id] };
    const good = await create(app, { name: 'good', action: cmd('true'), policy: { then } });
    const failing = await create(app, { name: 'failing', action: cmd('exit 4'), policy: { then } });
    await runAndSettle(good.id);
    expect((await runsOf(app, ok.id)).length).toBe(1);
    expect((await runsOf(app, bad.id)).length).toBe(0);
    await runAndSettle(failing.id);
    expect((await runsOf(app, ok.id)).length).toBe(1);
    expect((await runsOf(app, bad.id)).map((r) => r.trigger)).toEqual(['chain']);
  });

  it('a failure chains once, after the last retry; a chain run’s retries get the parent output too', async () => {
    app = startTestApp();
    const after = await create(app, {
      name: 'after',
      action: cmd('printf "parent said: %s" "$ALMANAC_PARENT_OUTPUT"; exit 1'),
      policy: { retries: { maxAttempts: 2, backoffSeconds: 1 } },
    });
    const flaky = await create(app, {
      name: 'flaky',
      action: cmd('echo attempt $ALMANAC_ATTEMPT; exit 1'),
      policy: { retries: { maxAttempts: 2, backoffSeconds: 1 }, then: { onFailure: [after.id] } },
    });
    await call(app, 'schedules.runNow', { id: flaky.id });
    await advanceUntil(app, () => app.engine.status().queued + app.engine.status().active === 0, 1000);
    const attempts = await runsOf(app, flaky.id);
    expect(attempts.map((r) => [r.attempt, r.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
    ]);
    const chained = await runsOf(app, after.id);
    expect(chained.map((r) => [r.trigger, r.attempt])).toEqual([
      ['chain', 1],
      ['retry', 2],
    ]);
    expect(chained[0]!.parentRunId).toBe(attempts[1]!.id);
    for (const run of chained) expect((await detail(app, run.id)).output).toBe('parent said: attempt 2\n');
  });

  it('a paused target is not run: its chain run is a skipped row saying why', async () => {
    app = startTestApp();
    const target = await create(app, { name: 'target', action: cmd('true'), enabled: false });
    const parent = await create(app, {
      name: 'parent',
      action: cmd('true'),
      policy: { then: { onSuccess: [target.id] } },
    });
    await runAndSettle(parent.id);
    expect(await runsOf(app, target.id)).toMatchObject([
      { status: 'skipped', trigger: 'chain', reason: 'paused (chained from "parent")' },
    ]);
  });

  it(`depth is capped at run time: past ${CHAIN_DEPTH_CAP} links the next is skipped`, async () => {
    app = startTestApp();
    const chain: Schedule[] = [];
    let next: string[] = [];
    for (let i = CHAIN_DEPTH_CAP + 1; i >= 0; i--) {
      const s = await create(app, {
        name: `link ${i}`,
        action: cmd('true'),
        policy: { then: { onSuccess: next } },
      });
      chain.unshift(s);
      next = [s.id];
    }
    await runAndSettle(chain[0]!.id);
    for (let i = 1; i <= CHAIN_DEPTH_CAP; i++) {
      expect((await runsOf(app, chain[i]!.id)).map((r) => r.status)).toEqual(['succeeded']);
    }
    expect(await runsOf(app, chain[CHAIN_DEPTH_CAP + 1]!.id)).toMatchObject([
      {
        status: 'skipped',
        reason: `chain: more than ${CHAIN_DEPTH_CAP} links deep (chained from "link ${CHAIN_DEPTH_CAP}")`,
      },
    ]);
  });
});

describe('chains refused at save', () => {
  it('a loop is refused with a message naming it, and nothing is stored', async () => {
    app = startTestApp();
    const c = await create(app, { name: 'C', action: cmd('true') });
    const b = await create(app, { name: 'B', action: cmd('true'), policy: { then: { onFailure: [c.id] } } });
    const a = await create(app, { name: 'A', action: cmd('true'), policy: { then: { onSuccess: [b.id] } } });
    const result = await update(c, { policy: { then: { onSuccess: [a.id] } } });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'policy.then.onSuccess: This chain would loop: "C" → "A" → "B" → "C"',
        issues: [{ path: 'policy.then.onSuccess' }],
      },
    });
    const stored = await call<Schedule>(app, 'schedules.get', { id: c.id });
    expect(stored.version).toBe(1);
    expect(stored.policy.then).toEqual({ onSuccess: [], onFailure: [] });
  });

  it('a schedule chaining to itself is a loop', async () => {
    app = startTestApp();
    const s = await create(app, { name: 'Self', action: cmd('true') });
    const result = await update(s, { policy: { then: { onFailure: [s.id] } } });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'policy.then.onFailure: This chain would loop: "Self" → "Self"' },
    });
  });

  it('a chain to a schedule that does not exist is refused, naming the field', async () => {
    app = startTestApp();
    const ok = await create(app, { name: 'exists', action: cmd('true') });
    const result = await app.dispatch('schedules.create', {
      name: 'dangling',
      trigger: { type: 'cron', expression: '0 0 1 1 *', timezone: 'UTC' },
      action: cmd('true'),
      policy: { then: { onSuccess: [ok.id, 'NO-SUCH-SCHEDULE'] } },
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        issues: [{ path: 'policy.then.onSuccess.1', message: 'No schedule with id NO-SUCH-SCHEDULE' }],
      },
    });
    expect((await call<{ items: Schedule[] }>(app, 'schedules.list', {})).items.map((s) => s.name)).toEqual([
      'exists',
    ]);
  });
});
