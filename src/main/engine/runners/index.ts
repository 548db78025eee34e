import type { Runner } from '../ports';
import { runCommand } from './command';
import { runHttp } from './http';

/** Dispatches an action to its runner. Reminders are posted by the notifier; the run succeeds once it is. */
export function createRunner(notify: (title: string, body: string) => void): Runner {
  return async (action, context) => {
    switch (action.type) {
      case 'command':
        return runCommand(action, context);
      case 'http':
        return runHttp(action, context);
      case 'reminder':
        notify(action.title, action.body);
        context.output(`${action.title}\n${action.body}`);
        return { status: 'succeeded' };
    }
  };
}
