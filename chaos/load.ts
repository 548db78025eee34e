/**
 * `--load`: one busy loop per core, as child processes, for the length of the suite (issue 11: a
 * loaded machine is where the crash windows open). Each is killed by its PID when the suite exits,
 * however it exits (normal end, failure, watchdog, Ctrl-C).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';

const loops = new Set<ChildProcess>();

function stopAll(): void {
  for (const loop of loops) if (loop.exitCode === null && loop.signalCode === null) loop.kill('SIGKILL');
  loops.clear();
}

process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    stopAll();
    process.exit(130);
  });
}

/** Starts `count` busy loops (default: one per core); returns their PIDs. */
export function startLoad(count = os.availableParallelism()): number[] {
  for (let i = 0; i < count; i++) {
    const loop = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    loops.add(loop);
    loop.once('exit', () => loops.delete(loop));
  }
  return [...loops].map((loop) => loop.pid!);
}

/** Kills the busy loops now. */
export function stopLoad(): void {
  stopAll();
}
