/** Real-process helpers for runner tests: liveness of a pid, and waiting on real time. */
import fs from 'node:fs';

/**
 * Whether a process still lives: `process.kill(pid, 0)` must throw ESRCH. A zombie counts as dead:
 * where PID 1 does not reap orphans (some containers), a killed grandchild stays a zombie forever,
 * although it runs nothing and holds nothing.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return !fs.existsSync('/proc/self'); // no procfs: trust kill(pid, 0)
  }
}

/** Every whole number printed after `label` on a line, e.g. "pids 12 34". */
export function pidsAfter(output: string, label: string): number[] {
  const pids: number[] = [];
  for (const line of output.split('\n')) {
    const at = line.indexOf(label);
    if (at < 0) continue;
    for (const word of line
      .slice(at + label.length)
      .trim()
      .split(/\s+/))
      if (/^\d+$/.test(word)) pids.push(Number(word));
  }
  return pids;
}

/** Polls (in real time) until `check` holds, or fails after `ms`. */
export async function waitUntil(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
