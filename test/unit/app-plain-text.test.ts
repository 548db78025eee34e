/**
 * Escape codes in a schedule's name or a run's output reach neither a notification nor a log line
 * (issue 13 item 8), while the stored output keeps them for the History view.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationEvent, Schedule } from '../../src/shared/api';
import { startApp, type App } from '../../src/main/app';
import type { Logger } from '../../src/main/engine/ports';
import { tempDir } from '../support/engine';
import { FakeClock } from '../support/fake-clock';

const ESC = '\u001b';
const LINK = `${ESC}]8;;https://evil.example${ESC}\\click me${ESC}]8;;${ESC}\\`;
const RED = `${ESC}[31m`;
// eslint-disable-next-line no-control-regex -- what must not be left
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let app: App | null = null;
afterEach(() => {
  app?.close();
  app = null;
});

function capturingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(message),
    warn: (message) => lines.push(message),
    error: (message, error) => lines.push(`${message} ${error === undefined ? '' : String(error)}`),
  };
}

async function failWithEscapes(target: App): Promise<{ schedule: Schedule; runId: string }> {
  const created = await target.dispatch('schedules.create', {
    name: `Sync ${RED}now`,
    trigger: { type: 'cron', expression: '0 0 1 1 *', timezone: 'UTC' },
    // printf's octal escapes write real ESC bytes into the output
    action: {
      type: 'command',
      command:
        "printf '\\033[31mred\\033[0m \\033]8;;https://evil.example\\033\\\\click\\033]8;;\\033\\\\\\n'; exit 3",
    },
  });
  if (!created.ok) throw new Error(created.error.message);
  const schedule = created.value as Schedule;
  const run = await target.dispatch('schedules.runNow', { id: schedule.id });
  if (!run.ok) throw new Error(run.error.message);
  await target.engine.whenIdle();
  await new Promise((resolve) => setImmediate(resolve));
  return { schedule, runId: (run.value as { id: string }).id };
}

describe('escape codes stop at notifications and log lines', () => {
  it('a failed run with coloured output and an OSC 8 link notifies in plain text; its stored output keeps the escapes', async () => {
    const delivered: [string, string, NotificationEvent][] = [];
    const events: NotificationEvent[] = [];
    app = startApp({
      dataDir: tempDir(),
      mode: 'desktop',
      version: 'test',
      clock: new FakeClock('2026-03-01T00:00:00Z'),
      log: capturingLog(),
      notify: (title, body, event) => delivered.push([title, body, event]),
    });
    app.subscribe((event, payload) => {
      if (event === 'notification') events.push(payload as NotificationEvent);
    });
    app.start();
    const { runId } = await failWithEscapes(app);

    expect(delivered).toHaveLength(1);
    const [title, body] = delivered[0]!;
    expect(title).toContain('Sync now');
    expect(body).toContain('red click');
    for (const text of [title, body, events[0]!.title, events[0]!.body]) expect(text).not.toMatch(CONTROL);

    const stored = await app.dispatch('runs.get', { id: runId });
    if (!stored.ok) throw new Error(stored.error.message);
    expect((stored.value as { output: string }).output).toContain(`${RED}red`);
  });

  it('log lines (browser mode logs each notification) carry no escape, whatever the message held', async () => {
    const log = capturingLog();
    app = startApp({
      dataDir: tempDir(),
      mode: 'browser',
      version: 'test',
      clock: new FakeClock('2026-03-01T00:00:00Z'),
      log,
    });
    app.start();
    await failWithEscapes(app);
    const notified = log.lines.find((line) => line.startsWith('[notification]'));
    expect(notified).toContain('red click');
    for (const line of log.lines) expect(line).not.toMatch(CONTROL);
  });

  it('the logger itself cleans what any part of the app writes, errors included', async () => {
    const { plainLogger } = await import('../../src/main/plain-log');
    const log = capturingLog();
    const plain = plainLogger(log);
    plain.info(`started ${LINK}`);
    plain.warn(`${RED}warned\r`);
    plain.error('failed', new Error(`bad ${RED}answer`));
    expect(log.lines).toEqual([
      'started click me',
      'warned',
      expect.stringMatching(/^failed Error: bad answer\n\s+at /),
    ]);
  });
});
