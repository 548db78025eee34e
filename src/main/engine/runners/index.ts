/**
 * The runners behind one interface (ports.ts `Runner`): each starts with an action's config, the
 * run's abort signal and output sink, and resolves to an outcome; none rejects for the action's own
 * failures.
 */
import { fillTemplate, type ReminderAction } from '../../../shared/domain';
import type { Outcome, RunContext, Runner } from '../ports';
import { runCommand, type CommandOptions } from './command';
import { runHttp } from './http';
import { resultExcerpt } from './result';
import { runWatch } from './watch';

export type RunnerOptions = CommandOptions;

/** A reminder is its notification: the run succeeds once it is posted. `{result}` is a chain parent's output. */
function runReminder(action: ReminderAction, context: RunContext): Outcome {
  const values = {
    name: context.scheduleName,
    attempts: String(context.attempt),
    result: resultExcerpt(context.parentOutput ?? ''),
  };
  const title = fillTemplate(action.title, values);
  const body = fillTemplate(action.body, values);
  context.notify({ title, body, level: 'info' });
  context.output(body ? `${title}\n${body}` : title);
  return { status: 'succeeded' };
}

export function createRunner(options: RunnerOptions = {}): Runner {
  return async (action, context) => {
    switch (action.type) {
      case 'command':
        return runCommand(action, context, options);
      case 'http':
        return runHttp(action, context);
      case 'reminder':
        return runReminder(action, context);
      case 'watch':
        return runWatch(action, context, options);
    }
  };
}
