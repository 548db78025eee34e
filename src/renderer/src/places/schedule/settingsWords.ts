/** A schedule's settings as sentences, for its page (the editor shows the same fields as inputs). */
import type { Action, Policy, Schedule } from '../../../../shared/domain';
import { triggerPattern, triggerWords } from '../../lib/describe';

/** 86400 → "24 h", 90 → "1 min 30 s". */
export function spanWords(seconds: number): string {
  const parts: string[] = [];
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (days) parts.push(`${days} ${days === 1 ? 'day' : 'days'}`);
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  if (rest || parts.length === 0) parts.push(`${rest} s`);
  return parts.join(' ');
}

export function whenWords(schedule: Schedule): string {
  const { trigger } = schedule;
  const base =
    trigger.type === 'cron'
      ? `${triggerWords(trigger) ?? triggerPattern(trigger)} (cron ${trigger.expression})`
      : trigger.type === 'interval'
        ? `Every ${spanWords(trigger.everySeconds)}`
        : `Once, at ${trigger.at.replace('T', ' ')}`;
  const extras: string[] = [`in ${trigger.timezone}`];
  if (trigger.jitterSeconds) extras.push(`up to ${trigger.jitterSeconds} s of jitter`);
  if (trigger.maxRuns) extras.push(`at most ${trigger.maxRuns} runs`);
  if (trigger.startAt) extras.push(`from ${trigger.startAt.replace('T', ' ')}`);
  if (trigger.endAt) extras.push(`until ${trigger.endAt.replace('T', ' ')}`);
  return `${base}, ${extras.join(', ')}.`;
}

export function actionWords(action: Action): string {
  switch (action.type) {
    case 'command':
      return `Runs the command “${action.command}”${action.shell ? ' through the shell' : ' without a shell'}${action.cwd ? ` in ${action.cwd}` : ''}.`;
    case 'http':
      return `Sends ${action.method} ${action.url}.`;
    case 'reminder':
      return `Shows the reminder “${action.title}”.`;
    case 'watch':
      return `Checks ${action.probe.type === 'http' ? action.probe.url : `“${action.probe.command}”`} every ${action.intervalSeconds} s, up to ${action.maxAttempts} times, until its condition holds.`;
  }
}

const OVERLAP: Record<Policy['overlap'], string> = {
  skip: 'a new run is skipped while the previous one is still going',
  bufferOne: 'one run waits while the previous one is still going',
  bufferAll: 'runs wait their turn while the previous one is still going',
  cancelOther: 'a new run cancels the one still going',
  allowAll: 'runs may overlap',
};

export function policyWords(policy: Policy): string[] {
  const words: string[] = [];
  words.push(
    policy.catchUp === 'none'
      ? 'Missed runs are recorded, not caught up.'
      : policy.catchUp === 'latest'
        ? 'After a sleep or a restart, the newest missed run is caught up once.'
        : `After a sleep or a restart, each missed run is caught up (at most ${policy.catchUpLimit}).`,
  );
  words.push(`When it is due again before the last run ended, ${OVERLAP[policy.overlap]}.`);
  words.push(
    policy.timeoutSeconds
      ? `A run is stopped after ${spanWords(policy.timeoutSeconds)}.`
      : 'Runs have no timeout.',
  );
  if (policy.retries.maxAttempts > 1)
    words.push(`A failed run is tried up to ${policy.retries.maxAttempts} times in all.`);
  if (policy.pauseAfterFailures)
    words.push(`It pauses itself after ${policy.pauseAfterFailures} failures in a row.`);
  words.push(
    policy.notify === 'never'
      ? 'It never notifies.'
      : policy.notify === 'always'
        ? 'It notifies after every run.'
        : 'It notifies when a run fails.',
  );
  return words;
}
