/**
 * Crontab import (issue 15 §2): every form crontab(5) has, each line's result, from the fixtures in
 * test/fixtures/crontab; then through the API on a real app (dry run, one transaction, abort,
 * re-import), and a `%` job run for real through /bin/sh to see its standard input arrive.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrontabImport, CrontabImportItem } from '../../src/shared/api';
import type { RunDetail, Schedule } from '../../src/shared/domain';
import { readCrontab, shellCommand, splitPercent } from '../../src/main/interop/crontab';
import { call, quietLog, startTestApp, type TestApp } from '../support/engine';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/crontab');
const personal = fs.readFileSync(path.join(fixtures, 'personal.crontab'), 'utf8');
const system = fs.readFileSync(path.join(fixtures, 'system.cron.d'), 'utf8');
const isUser = (name: string) => ['root', 'nobody'].includes(name);
const START = '2026-03-20T12:00:00.000Z';

const bashEnv = { PATH: '/usr/local/bin:/usr/bin:/bin', BACKUP_DIR: '/srv/backup ' };
const viaBash = (command: string) => `exec /bin/bash -c '${command.replace(/'/g, `'\\''`)}'`;
const STARTUP =
  '@reboot runs when the computer starts, which Almanac has no trigger for; use a once trigger (a date and time) or an interval trigger';

describe('reading a personal crontab, line by line', () => {
  const { format, entries } = readCrontab(personal, { timezone: 'UTC', format: 'auto', isUser });
  const at = (lineNumber: number) => entries.find((entry) => entry.lineNumber === lineNumber);

  it('is read as a user crontab, one entry per job line; env, zone and comment lines are not entries', () => {
    expect(format).toBe('user');
    expect(entries.map((entry) => [entry.lineNumber, entry.status])).toEqual([
      [11, 'ok'],
      [15, 'ok'],
      [16, 'ok'],
      [17, 'ok'],
      [20, 'ok'],
      [21, 'ok'],
      [22, 'skipped'],
      [23, 'ok'],
      [24, 'error'],
      [25, 'error'],
      [26, 'error'],
      [27, 'error'],
      [28, 'error'],
      [30, 'error'],
    ]);
    for (const entry of entries) expect(entry.line).toBe(personal.split('\n')[entry.lineNumber - 1]);
  });

  it('comments just above a job are its notes and name; SHELL, PATH, quoted values and MAILTO="" apply', () => {
    expect(at(11)!.schedule).toEqual({
      name: 'Nightly backup of documents',
      notes: 'Nightly backup of documents\nkeeps 7 days, see ~/bin/backup',
      enabled: true,
      trigger: { type: 'cron', expression: '30 2 * * *', timezone: 'UTC' },
      action: {
        type: 'command',
        command: viaBash('restic backup ~/docs --repo "$BACKUP_DIR"'),
        shell: true,
        env: bashEnv,
      },
      policy: expect.objectContaining({ notify: 'never', catchUp: 'latest', overlap: 'skip' }),
    });
  });

  it('CRON_TZ sets the zone of the lines after it; dialects are normalised and said so', () => {
    expect(at(15)).toMatchObject({
      message: '0 9 * * MONDAY-FRIDAY reads as 0 9 * * MON-FRI',
      schedule: {
        name: 'Stand-up reminder',
        trigger: { expression: '0 9 * * MON-FRI', timezone: 'Europe/Berlin' },
      },
    });
    expect(at(16)!.message).toBeUndefined();
    expect(at(16)!.schedule).toMatchObject({
      name: '~/bin/check-mail.sh >/dev/null 2>&1',
      notes: '',
      trigger: { expression: '*/15 9-17 * * MON-FRI', timezone: 'Europe/Berlin' },
    });
    expect(at(17)).toMatchObject({
      message: '5/20 * * * * reads as 5-59/20 * * * *',
      schedule: { trigger: { expression: '5-59/20 * * * *' } },
    });
  });

  it('TZ sets the zone too and reaches the environment; wrapped ranges and nicknames read', () => {
    expect(at(20)).toMatchObject({
      message: '0 8 1 NOV-FEB * reads as 0 8 1 NOV-DEC,JAN-FEB *',
      schedule: {
        trigger: { expression: '0 8 1 NOV-DEC,JAN-FEB *', timezone: 'America/New_York' },
        action: { env: { ...bashEnv, TZ: 'America/New_York' } },
      },
    });
    expect(at(21)!.schedule!.trigger).toEqual({
      type: 'cron',
      expression: '@weekly',
      timezone: 'America/New_York',
    });
  });

  it('@reboot is skipped with a pointer to once and interval triggers', () => {
    expect(at(22)).toEqual({
      line: '@reboot ~/bin/start-agent',
      lineNumber: 22,
      status: 'skipped',
      message: STARTUP,
    });
  });

  it('% ends the command; the rest is standard input, each further % a newline, \\% a percent sign', () => {
    expect(at(23)!.schedule!.action).toEqual({
      type: 'command',
      command: `{ ${viaBash('mail -s "Daily digest" me@example.com')}\n} <<'CRON_STDIN'\nGood morning,\nhere is the digest: 100% done\nCRON_STDIN`,
      shell: true,
      env: { ...bashEnv, TZ: 'America/New_York' },
    });
  });

  it('broken lines say what is wrong with them', () => {
    expect([24, 25, 26, 27, 28, 30].map((n) => at(n)!.message)).toEqual([
      'Minute must be 0–59; you wrote 61',
      'Hour must be 0–23; you wrote 25',
      'Month must be 1–12 or JAN–DEC; you wrote 0',
      'Minute: cannot read "THIS"; use a number 0–59, a range such as 0-29, a step such as */15, or a list',
      'Expected the schedule and a command; this line ends early',
      'CRON_TZ=Mars/Olympus_Mons (line 29) is not a time zone Almanac knows',
    ]);
    for (const n of [24, 25, 26, 27, 28, 30]) expect(at(n)!.schedule).toBeUndefined();
  });
});

describe('reading an /etc/cron.d file', () => {
  it('finds the user column, notes the user, runs the command as written', () => {
    const { format, entries } = readCrontab(system, { timezone: 'UTC', format: 'auto', isUser });
    expect(format).toBe('system');
    expect(entries.map((entry) => [entry.lineNumber, entry.status, entry.user])).toEqual([
      [6, 'ok', 'root'],
      [8, 'ok', 'root'],
      [9, 'ok', 'nobody'],
    ]);
    expect(entries[0]).toMatchObject({
      message: 'ran as root; Almanac runs it as you',
      schedule: {
        name: 'Refresh the package index',
        notes:
          'Refresh the package index\nFrom an /etc/cron.d line that ran as root; Almanac runs it as you.',
        trigger: { expression: '17 * * * *' },
        // SHELL=/bin/sh is what Almanac runs anyway: no wrapping.
        action: { command: 'apt-get update -qq', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } },
      },
    });
    expect(entries[2]!.schedule).toMatchObject({
      name: '/usr/bin/find /tmp -mtime +7 -delete',
      trigger: { expression: '@daily' },
    });
  });

  it('auto reads a user crontab as one when a sixth column is not a user; format can be forced', () => {
    const text = '0 3 * * * echo hi\n';
    expect(readCrontab(text, { timezone: 'UTC', format: 'auto', isUser }).format).toBe('user');
    const forced = readCrontab(text, { timezone: 'UTC', format: 'system', isUser });
    expect(forced.entries[0]).toMatchObject({
      status: 'ok',
      user: 'echo',
      schedule: { action: { command: 'hi' } },
    });
    const short = readCrontab('0 3 * * * root\n', { timezone: 'UTC', format: 'system', isUser });
    expect(short.entries[0]).toMatchObject({
      status: 'error',
      message: 'Expected the schedule, a user and a command; this line ends early',
    });
  });

  it("crontab -e's template header is not a job's notes", () => {
    const text = '# Edit this file\n# m h  dom mon dow   command\n# Morning coffee\n0 8 * * * brew\n';
    const [entry] = readCrontab(text, { timezone: 'UTC', format: 'user', isUser }).entries;
    expect(entry!.schedule).toMatchObject({ name: 'Morning coffee', notes: 'Morning coffee' });
    const commentedOut = '# 0 3 * * * old-job\n0 4 * * * new-job\n';
    const [job] = readCrontab(commentedOut, { timezone: 'UTC', format: 'user', isUser }).entries;
    expect(job!.schedule).toMatchObject({ name: 'new-job', notes: '0 3 * * * old-job' });
  });
});

describe('% and standard input, as cron means them', () => {
  it.each([
    ['cat', { command: 'cat', stdin: null }],
    ['cat%', { command: 'cat', stdin: '' }],
    ['cat%a%b', { command: 'cat', stdin: 'a\nb' }],
    ['cat%a%b%', { command: 'cat', stdin: 'a\nb\n' }],
    ['date +\\%F', { command: 'date +%F', stdin: null }],
    ['cat%50\\% off', { command: 'cat', stdin: '50% off' }],
    ['echo a\\b', { command: 'echo a\\b', stdin: null }],
  ])('%s', (written, expected) => {
    expect(splitPercent(written)).toEqual(expected);
  });

  it('the here-document delimiter never collides with a line of the input', () => {
    expect(shellCommand('cat', 'CRON_STDIN\nx', undefined)).toBe(
      "{ cat\n} <<'CRON_STDIN_1'\nCRON_STDIN\nx\nCRON_STDIN_1",
    );
    expect(shellCommand('cat', null, '/bin/sh')).toBe('cat');
    expect(shellCommand("echo 'hi'", null, '/bin/zsh')).toBe(`exec /bin/zsh -c 'echo '\\''hi'\\'''`);
  });
});

describe('schedules.importCrontab, on a real app', () => {
  let app: TestApp;
  afterEach(async () => {
    await app.engine.whenIdle();
    app.close();
    expect(quietLog.errors).toEqual([]);
  });

  const importText = (input: Record<string, unknown>) => app.dispatch('schedules.importCrontab', input);
  const names = async () =>
    (await call<{ items: Schedule[] }>(app, 'schedules.list', {})).items.map((item) => item.name);

  it('a dry run stores nothing; the import stores every good line in one go, and a second import skips them', async () => {
    app = startTestApp({ start: START });
    const dry = await call<CrontabImport>(app, 'schedules.importCrontab', {
      text: personal,
      dryRun: true,
      timezone: 'UTC',
    });
    expect(dry.created).toBe(0);
    expect(dry.items.filter((item) => item.status === 'ok')).toHaveLength(7);
    expect(await names()).toEqual([]);

    const done = await call<CrontabImport>(app, 'schedules.importCrontab', {
      text: personal,
      timezone: 'UTC',
      group: 'crontab',
    });
    expect(done.created).toBe(7);
    const ok = done.items.filter((item) => item.status === 'ok');
    for (const item of ok)
      expect(item.schedule).toMatchObject({ id: expect.any(String), group: 'crontab', state: 'active' });
    // The same items as the dry run, now with ids.
    expect(done.items.map((item) => [item.lineNumber, item.status, item.message])).toEqual(
      dry.items.map((item) => [item.lineNumber, item.status, item.message]),
    );
    expect((await names()).length).toBe(7);

    const again = await call<CrontabImport>(app, 'schedules.importCrontab', {
      text: personal,
      timezone: 'UTC',
    });
    expect(again.created).toBe(0);
    expect(again.items.filter((item) => item.status === 'skipped').map((item) => item.message)).toEqual([
      'Already in Almanac as “Nightly backup of documents”',
      'Already in Almanac as “Stand-up reminder”',
      'Already in Almanac as “~/bin/check-mail.sh >/dev/null 2>&1”',
      'Already in Almanac as “date >> /tmp/ticks.log”',
      'Already in Almanac as “~/bin/winter-report”',
      'Already in Almanac as “~/bin/rotate-logs”',
      STARTUP,
      'Already in Almanac as “mail -s "Daily digest" me@example.com”',
    ]);
    expect((await names()).length).toBe(7);
  });

  it("onError 'abort' stores nothing when a line is in error, and names each line", async () => {
    app = startTestApp({ start: START });
    const result = await importText({ text: personal, timezone: 'UTC', onError: 'abort' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.message).toBe(
      'text: 6 lines in error, nothing imported (Line 24: Minute must be 0–59; you wrote 61)',
    );
    expect(result.error.issues!.map((issue) => issue.message)).toEqual([
      'Line 24: Minute must be 0–59; you wrote 61',
      'Line 25: Hour must be 0–23; you wrote 25',
      'Line 26: Month must be 1–12 or JAN–DEC; you wrote 0',
      'Line 27: Minute: cannot read "THIS"; use a number 0–59, a range such as 0-29, a step such as */15, or a list',
      'Line 28: Expected the schedule and a command; this line ends early',
      'Line 30: CRON_TZ=Mars/Olympus_Mons (line 29) is not a time zone Almanac knows',
    ]);
    expect(await names()).toEqual([]);
    // The good lines alone go through with abort too.
    const good = personal.split('\n').slice(0, 23).join('\n');
    const done = await call<CrontabImport>(app, 'schedules.importCrontab', {
      text: good,
      timezone: 'UTC',
      onError: 'abort',
    });
    expect(done.created).toBe(7);
  });

  it('names taken already get a number; the zone defaults to the given one', async () => {
    app = startTestApp({ start: START });
    await call(app, 'schedules.create', {
      name: 'backup',
      trigger: { type: 'cron', expression: '0 1 * * *', timezone: 'UTC' },
      action: { type: 'reminder', title: 'x' },
    });
    const done = await call<CrontabImport>(app, 'schedules.importCrontab', {
      text: '0 2 * * * backup\n0 3 * * * backup\n',
      timezone: 'Asia/Tokyo',
    });
    expect(done.items.map((item) => (item.schedule as Schedule).name)).toEqual(['backup (2)', 'backup (3)']);
    expect(done.items.map((item) => (item.schedule as Schedule).trigger.timezone)).toEqual([
      'Asia/Tokyo',
      'Asia/Tokyo',
    ]);
  });

  it('refuses a text over 5 MB, and bad options, storing nothing', async () => {
    app = startTestApp({ start: START });
    const huge = `# ${'x'.repeat(5 * 1024 * 1024)}\n0 1 * * * true\n`;
    const result = await importText({ text: huge });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', issues: [{ path: 'text', message: 'A crontab is at most 5 MB' }] },
    });
    const multiByte = '€'.repeat(2 * 1024 * 1024); // 6 MB of UTF-8 in 2 M characters
    expect(await importText({ text: multiByte })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await importText({ text: '', onError: 'ignore' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await importText({ text: '', timezone: 'Mars/Base' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await importText({ text: '0 1 * * * true', dryrun: true })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'dryrun', message: 'Unknown field "dryrun"' }] },
    });
    const lines = Array.from({ length: 5001 }, () => '0 1 * * * true').join('\n');
    expect(await importText({ text: lines })).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        issues: [{ path: 'text', message: expect.stringMatching(/at most 5000/) }],
      },
    });
    expect(await names()).toEqual([]);
  });

  it('an imported % job gets its standard input when it runs, through the crontab SHELL', async () => {
    app = startTestApp({ start: START });
    const text =
      'SHELL=/bin/bash\n* * * * * read a; read b; echo "[$a|$b|${BASH_VERSION:+bash}]"%first line%100\\% second\n';
    const done = await call<CrontabImport>(app, 'schedules.importCrontab', { text, timezone: 'UTC' });
    const item = done.items[0] as CrontabImportItem & { schedule: Schedule };
    expect(item.status).toBe('ok');
    const run = await call<{ id: string }>(app, 'schedules.runNow', { id: item.schedule.id });
    let detail: RunDetail | null = null;
    for (let i = 0; i < 400; i++) {
      detail = await call<RunDetail>(app, 'runs.get', { id: run.id });
      if (detail.status !== 'running' && detail.status !== 'queued') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(detail).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(detail!.output.trim()).toBe('[first line|100% second|bash]');
  });
});
