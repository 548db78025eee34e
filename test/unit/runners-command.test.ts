/** The command runner against real child processes: shells, argv, output order, exit, and ending whole trees. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/main/engine/runners/command';
import { CommandAction } from '../../src/shared/domain';
import { tempDir } from '../support/engine';
import { alive, pidsAfter, waitUntil } from '../support/processes';
import { testContext } from '../support/run-context';

const command = (input: Record<string, unknown>) => CommandAction.parse({ type: 'command', ...input });
const GRACE = 400;

describe('shell and argv', () => {
  it('shell: true runs through /bin/sh -c, with its expansion and pipes', async () => {
    const { context, output } = testContext();
    const outcome = await runCommand(command({ command: 'echo $((1 + 2)) | tr 3 x' }), context);
    expect(outcome).toMatchObject({ status: 'succeeded', exitCode: 0, signal: null });
    expect(output()).toBe('x\n');
  });

  it('shell: false runs argv with no shell: quotes group words, nothing expands', async () => {
    const { context, output } = testContext();
    const outcome = await runCommand(
      command({ command: `printf '%s|' "a b" '$HOME' '*'`, shell: false }),
      context,
    );
    expect(outcome.status).toBe('succeeded');
    expect(output()).toBe('a b|$HOME|*|');
  });

  it('cwd defaults to the home directory; a given cwd is used', async () => {
    const first = testContext();
    await runCommand(command({ command: 'pwd' }), first.context);
    expect(first.output().trim()).toBe(fs.realpathSync(os.homedir()));
    const dir = fs.realpathSync(tempDir());
    const second = testContext();
    await runCommand(command({ command: 'pwd', cwd: dir }), second.context);
    expect(second.output().trim()).toBe(dir);
  });

  it('env is merged over the environment, beside the run identity; the API token is not passed on', async () => {
    process.env.ALMANAC_TOKEN = 'secret-token';
    try {
      const { context, output } = testContext({ attempt: 2 });
      await runCommand(
        command({
          command:
            'echo "$GREETING|${PATH:+has-path}|$ALMANAC_RUN_ID|$ALMANAC_ATTEMPT|${ALMANAC_TOKEN:-none}"',
          env: { GREETING: 'hello' },
        }),
        context,
      );
      expect(output().trim()).toBe('hello|has-path|run-1|2|none');
    } finally {
      delete process.env.ALMANAC_TOKEN;
    }
  });

  it('a chain parent’s output arrives as ALMANAC_PARENT_OUTPUT', async () => {
    const { context, output } = testContext({ parentOutput: 'from the parent\n' });
    await runCommand(command({ command: 'printf %s "$ALMANAC_PARENT_OUTPUT"' }), context);
    expect(output()).toBe('from the parent\n');
  });
});

describe('output and exit', () => {
  for (const shell of [true, false]) {
    it(`stdout and stderr are interleaved in the order written (shell: ${shell})`, async () => {
      const script = 'for i in 1 2 3 4 5 6 7 8; do echo out$i; echo err$i >&2; done';
      const { context, output } = testContext();
      const outcome = await runCommand(
        command({ command: shell ? script : `/bin/sh -c '${script}'`, shell }),
        context,
      );
      expect(outcome.status).toBe('succeeded');
      const expected = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `out${i}\nerr${i}\n`).join('');
      expect(output()).toBe(expected);
    });
  }

  it('records a non-zero exit code as a failed run with the reason', async () => {
    const { context } = testContext();
    expect(await runCommand(command({ command: 'echo nope >&2; exit 3' }), context)).toMatchObject({
      status: 'failed',
      exitCode: 3,
      signal: null,
      reason: 'Exited with code 3',
    });
  });

  it('records the signal that ended the process', async () => {
    const { context } = testContext();
    expect(await runCommand(command({ command: 'kill -KILL $$' }), context)).toMatchObject({
      status: 'failed',
      exitCode: null,
      signal: 'SIGKILL',
      reason: 'Ended by SIGKILL',
    });
  });

  it('a program that cannot be found (ENOENT) is a failed run with the reason, not a crash', async () => {
    const { context } = testContext();
    expect(
      await runCommand(command({ command: 'almanac-no-such-program --flag', shell: false }), context),
    ).toMatchObject({
      status: 'failed',
      exitCode: null,
      reason: 'Command not found: almanac-no-such-program',
    });
    const missing = path.join(tempDir(), 'gone');
    const second = testContext();
    expect(await runCommand(command({ command: 'true', cwd: missing }), second.context)).toMatchObject({
      status: 'failed',
      reason: `Working directory not found: ${missing}`,
    });
  });
});

describe('ending the process tree', () => {
  // The shell traps SIGTERM and keeps waiting; its child dies of SIGTERM; a grandchild shell ignores
  // SIGTERM together with its own sleep, so only SIGKILL after the grace ends them.
  const stubborn = [
    `trap 'echo got-term' TERM`,
    'sleep 300 & child=$!',
    `sh -c 'trap "" TERM; sleep 300 & echo "grandchildren $$ $!"; wait' &`,
    'echo "pids $$ $child $!"',
    'while :; do wait; done',
  ].join('\n');

  async function startStubborn() {
    const test = testContext();
    const running = runCommand(command({ command: stubborn }), test.context, { killGraceMs: GRACE });
    await waitUntil(
      () =>
        pidsAfter(test.output(), 'pids').length === 3 &&
        pidsAfter(test.output(), 'grandchildren').length === 2,
      10_000,
      'the pids',
    );
    const pids = [...pidsAfter(test.output(), 'pids'), ...pidsAfter(test.output(), 'grandchildren')];
    expect(pids.every(alive)).toBe(true);
    return { ...test, running, pids };
  }

  it('a timeout sends SIGTERM, then SIGKILL after the grace: no pid survives', async () => {
    const { controller, running, pids, output } = await startStubborn();
    const abortedAt = Date.now();
    controller.abort('timeout');
    const outcome = await running;
    expect(outcome).toMatchObject({ status: 'timed-out', reason: 'Timed out; the process tree was ended' });
    expect(outcome.signal).toBe('SIGKILL');
    expect(output()).toContain('got-term'); // SIGTERM came first, and was survived
    expect(Date.now() - abortedAt).toBeGreaterThanOrEqual(GRACE - 50);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('a cancel ends the tree the same way', async () => {
    const { controller, running, pids } = await startStubborn();
    controller.abort('cancel');
    expect((await running).status).toBe('cancelled');
    expect(pids.filter(alive)).toEqual([]);
  });

  it('a process that obeys SIGTERM ends without waiting for the grace', async () => {
    const test = testContext();
    const running = runCommand(command({ command: 'echo "pids $$"; sleep 300' }), test.context, {
      killGraceMs: 20_000,
    });
    await waitUntil(() => pidsAfter(test.output(), 'pids').length === 1);
    test.controller.abort('timeout');
    expect(await running).toMatchObject({ status: 'timed-out', signal: 'SIGTERM' });
    expect(alive(pidsAfter(test.output(), 'pids')[0]!)).toBe(false);
  });

  it('what a finished command left running in the background is ended with it', async () => {
    const test = testContext();
    const outcome = await runCommand(
      command({ command: 'sleep 300 >/dev/null 2>&1 & echo "pids $!"' }),
      test.context,
      { killGraceMs: GRACE },
    );
    expect(outcome.status).toBe('succeeded');
    const [pid] = pidsAfter(test.output(), 'pids');
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid!)).toBe(false);
  });
});
