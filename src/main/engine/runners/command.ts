import { spawn } from 'node:child_process';
import os from 'node:os';
import { parseArgsStringToArgv } from 'string-argv';
import type { CommandAction } from '../../../shared/domain';
import type { Outcome, RunContext } from '../ports';

/** How long a process tree gets between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 3000;

function argvFor(action: CommandAction): [string, string[]] {
  if (action.shell) {
    if (process.platform === 'win32') return ['cmd.exe', ['/d', '/s', '/c', action.command]];
    return ['/bin/sh', ['-c', action.command]];
  }
  const [file, ...args] = parseArgsStringToArgv(action.command);
  return [file!, args];
}

/** Signals the whole process group (POSIX) or tree (Windows), not just the direct child. */
function killTree(pid: number, signal: NodeJS.Signals): void {
  try {
    if (process.platform === 'win32') {
      spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    } else {
      process.kill(-pid, signal);
    }
  } catch {
    // already gone
  }
}

export function runCommand(action: CommandAction, context: RunContext): Promise<Outcome> {
  return new Promise((resolve) => {
    const [file, args] = argvFor(action);
    const child = spawn(file, args, {
      cwd: action.cwd || os.homedir(),
      env: { ...process.env, ...action.env },
      // its own process group, so a timeout can end grandchildren too
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      context.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      resolve(outcome);
    };
    const onAbort = () => {
      if (child.pid === undefined) return;
      killTree(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killTree(child.pid!, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => context.output(chunk));
    child.stderr.on('data', (chunk: string) => context.output(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'ENOENT'
          ? `Command not found: ${file}`
          : `Could not start the command: ${error.message}`;
      finish({ status: 'failed', reason, exitCode: null });
    });
    child.on('close', (code, signal) => {
      const aborted = context.signal.aborted ? (context.signal.reason as string) : null;
      if (aborted) {
        // the group may still hold grandchildren that ignored SIGTERM
        if (child.pid !== undefined) killTree(child.pid, 'SIGKILL');
        finish({
          status: aborted === 'timeout' ? 'timed-out' : 'cancelled',
          exitCode: code,
          signal,
          reason: aborted === 'timeout' ? 'Timed out; the process tree was ended' : 'Cancelled',
        });
        return;
      }
      finish({
        status: code === 0 ? 'succeeded' : 'failed',
        exitCode: code,
        signal,
        reason: code === 0 ? null : signal ? `Ended by ${signal}` : `Exited with code ${code}`,
      });
    });
    if (context.signal.aborted) onAbort();
    else context.signal.addEventListener('abort', onAbort);
  });
}
