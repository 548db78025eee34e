/**
 * The `command` action: a child process in its own process group (POSIX) whose whole tree is ended
 * on timeout or cancel, and whose leftovers are ended when it exits, so no orphan survives a run.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgsStringToArgv } from 'string-argv';
import type { CommandAction } from '../../../shared/domain';
import type { Outcome, RunContext } from '../ports';

/** How long a process tree gets between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 5000;
/** After SIGKILL, how long we wait for the pipes to close before giving up on them (a process that left the group). */
const DRAIN_MS = 1000;
/** ALMANAC_PARENT_OUTPUT keeps the tail of the parent's output: one environment string must stay well under Linux's 128 KiB. */
export const PARENT_OUTPUT_ENV_CAP = 32 * 1024;
/** Never handed to children: the browser-mode API token. */
const SCRUBBED_ENV = ['ALMANAC_TOKEN'];

export interface CommandOptions {
  killGraceMs?: number;
}

const posix = process.platform !== 'win32';

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds a program the way execvp would, so "not found" is a plain reason rather than exit code 127. */
function resolveProgram(file: string, cwd: string, env: NodeJS.ProcessEnv): string | null {
  if (file.includes('/')) {
    const full = path.resolve(cwd, file);
    return isExecutable(full) ? full : null;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.resolve(cwd, dir || '.', file);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/**
 * What to spawn. On POSIX both forms write stdout and stderr into one pipe (`exec 2>&1`), so their
 * interleaving is kept exactly as the program wrote it; the argv form `exec`s the program at once,
 * with its arguments passed verbatim and nothing parsed by a shell.
 */
function argvFor(action: CommandAction, cwd: string, env: NodeJS.ProcessEnv): [string, string[]] | string {
  if (action.shell) {
    if (!posix) return ['cmd.exe', ['/d', '/s', '/c', action.command]];
    return ['/bin/sh', ['-c', `exec 2>&1\n${action.command}`]];
  }
  const [file, ...args] = parseArgsStringToArgv(action.command);
  if (!file) return 'The command is empty';
  if (!posix) return [file, args];
  const program = resolveProgram(file, cwd, env);
  if (!program) return `Command not found: ${file}`;
  return ['/bin/sh', ['-c', 'exec "$@" 2>&1', 'almanac', program, ...args]];
}

/** Signals the whole process group (POSIX) or tree (Windows), not just the direct child. */
function killTree(pid: number, signal: NodeJS.Signals): void {
  try {
    if (!posix) {
      spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    } else {
      process.kill(-pid, signal);
    }
  } catch {
    // already gone
  }
}

/**
 * Whether any process of the group still lives. A zombie does not count: under an init that does
 * not reap orphans (some containers), a killed grandchild stays a zombie forever.
 */
function groupAlive(pgid: number): boolean {
  if (!posix) return false;
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last ')'
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') return true;
    }
    return false;
  } catch {
    return true;
  }
}

function environment(action: CommandAction, context: RunContext): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...action.env };
  for (const name of SCRUBBED_ENV) delete env[name];
  env.ALMANAC_RUN_ID = context.runId;
  env.ALMANAC_SCHEDULE_ID = context.scheduleId;
  env.ALMANAC_SCHEDULE_NAME = context.scheduleName;
  env.ALMANAC_ATTEMPT = String(context.attempt);
  if (context.parentOutput !== undefined) {
    // eslint-disable-next-line no-control-regex -- NUL cannot travel in an environment string
    env.ALMANAC_PARENT_OUTPUT = context.parentOutput.slice(-PARENT_OUTPUT_ENV_CAP).replace(/\u0000/g, '');
  }
  return env;
}

function abortedOutcome(reason: unknown, exitCode: number | null, signal: string | null): Outcome {
  const timeout = reason === 'timeout';
  return {
    status: timeout ? 'timed-out' : 'cancelled',
    exitCode,
    signal,
    reason: timeout ? 'Timed out; the process tree was ended' : 'Cancelled; the process tree was ended',
  };
}

export function runCommand(
  action: CommandAction,
  context: RunContext,
  options: CommandOptions = {},
): Promise<Outcome> {
  const grace = options.killGraceMs ?? KILL_GRACE_MS;
  return new Promise((resolve) => {
    if (context.signal.aborted) {
      resolve(abortedOutcome(context.signal.reason, null, null));
      return;
    }
    const cwd = action.cwd || os.homedir();
    try {
      if (!fs.statSync(cwd).isDirectory()) throw new Error('not a directory');
    } catch {
      resolve({ status: 'failed', exitCode: null, reason: `Working directory not found: ${cwd}` });
      return;
    }
    const env = environment(action, context);
    const argv = argvFor(action, cwd, env);
    if (typeof argv === 'string') {
      resolve({ status: 'failed', exitCode: null, reason: argv });
      return;
    }
    const [file, args] = argv;
    const child = spawn(file, args, {
      cwd,
      env,
      // its own process group, so a timeout can end grandchildren too
      detached: posix,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let settled = false;
    let closed = false;
    let exit: { code: number | null; signal: string | null } | null = null;
    let ending = false;
    const timers: NodeJS.Timeout[] = [];
    const later = (ms: number, fn: () => void) => {
      const timer = setTimeout(fn, ms);
      timer.unref();
      timers.push(timer);
    };

    const finish = () => {
      if (settled) return;
      settled = true;
      context.signal.removeEventListener('abort', endTree);
      for (const timer of timers) clearTimeout(timer);
      const code = exit?.code ?? null;
      const signal = exit?.signal ?? null;
      if (context.signal.aborted) {
        resolve(abortedOutcome(context.signal.reason, code, signal));
        return;
      }
      resolve({
        status: code === 0 ? 'succeeded' : 'failed',
        exitCode: code,
        signal,
        reason: code === 0 ? null : signal ? `Ended by ${signal}` : `Exited with code ${code}`,
      });
    };
    /** A run ends when its pipes are closed and, once ending began, nothing of its group lives. */
    const settleIfDone = () => {
      if (closed && !(ending && groupAlive(child.pid!))) finish();
    };

    /** SIGTERM to the tree, SIGKILL after the grace, then stop waiting for pipes a runaway still holds. */
    function endTree(): void {
      if (ending || child.pid === undefined) return;
      ending = true;
      killTree(child.pid, 'SIGTERM');
      const poll = setInterval(settleIfDone, 50);
      poll.unref();
      timers.push(poll);
      later(grace, () => {
        if (groupAlive(child.pid!)) killTree(child.pid!, 'SIGKILL');
        later(DRAIN_MS, () => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          if (exit) finish();
        });
      });
    }

    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => context.output(chunk));
    child.stderr!.on('data', (chunk: string) => context.output(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      context.signal.removeEventListener('abort', endTree);
      for (const timer of timers) clearTimeout(timer);
      const reason =
        error.code === 'ENOENT'
          ? `Command not found: ${file}`
          : `Could not start the command: ${error.message}`;
      resolve({ status: 'failed', reason, exitCode: null });
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // The main process is done: whatever it left behind in its group is ended too (as systemd does).
      if (child.pid !== undefined && groupAlive(child.pid)) endTree();
    });
    child.on('close', (code, signal) => {
      exit ??= { code, signal };
      closed = true;
      settleIfDone();
    });
    context.signal.addEventListener('abort', endTree);
  });
}
