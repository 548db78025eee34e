/**
 * The sidebar's engine footer (issue 12 §2): it follows the engine.status events the engine sends
 * after each run transition, so what it says equals the running runs that runs.list answers.
 */
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src/shared/api';
import type { Run } from '../../src/shared/domain';
import { FakeApi, STATUS, makeRun, makeSchedule } from './fakeApi';
import { renderApp } from './render';

/** What runs.list answers now: how many runs are running. */
async function runningListed(api: FakeApi): Promise<number> {
  const result = await api.invoke('runs.list', { limit: 500 });
  if (!result.ok) throw new Error(result.error.message);
  return result.value.items.filter((run) => run.status === 'running').length;
}

/** The engine's side of a transition: the store changes, then run.changed, then engine.status. */
function transition(api: FakeApi, run: Run): void {
  api.runs = [run, ...api.runs.filter((r) => r.id !== run.id)];
  const running = api.runs.filter((r) => r.status === 'running').length;
  const status: EngineStatus = { ...STATUS.engine, scheduleCount: api.schedules.length, active: running };
  act(() => {
    api.emit('run.changed', run);
    api.emit('engine.status', status);
  });
}

const footer = () => screen.getByText(/^Engine:/).textContent;
const expected = (running: number) => (running > 0 ? `Engine: Running ${running} now` : 'Engine: Idle');

describe('the engine footer', () => {
  it('says Running while a run goes and Idle once every run has ended, as runs.list says', async () => {
    const api = new FakeApi();
    const schedule = makeSchedule({ name: 'Long job' });
    api.schedules = [schedule];
    await renderApp(api);
    expect(footer()).toBe(expected(await runningListed(api)));

    const first = makeRun({ scheduleId: schedule.id, status: 'running', finishedAt: null, durationMs: null });
    transition(api, first);
    expect(await runningListed(api)).toBe(1);
    expect(footer()).toBe(expected(await runningListed(api)));

    const second = makeRun({
      scheduleId: schedule.id,
      status: 'running',
      finishedAt: null,
      durationMs: null,
    });
    transition(api, second);
    expect(footer()).toBe(expected(await runningListed(api)));
    expect(footer()).toBe('Engine: Running 2 now');

    transition(api, { ...first, status: 'succeeded', finishedAt: first.startedAt, durationMs: 16_000 });
    expect(footer()).toBe(expected(await runningListed(api)));
    transition(api, { ...second, status: 'failed', finishedAt: second.startedAt, durationMs: 16_000 });
    expect(await runningListed(api)).toBe(0);
    expect(footer()).toBe(expected(await runningListed(api)));
    expect(footer()).toBe('Engine: Idle');
  });
});
