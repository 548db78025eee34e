/** Words for triggers and cron patterns, as the schedule list and the editor show them. */
import cronstrue from 'cronstrue';
import { cronError, type Trigger } from '../../../shared/domain';
import { uses24HourClock } from './time';

const described = new Map<string, string | null>();

/**
 * The pattern in words, or null when croner would refuse it (the editor then says why on submit).
 * Cached by expression: the list asks for the same few patterns on every render.
 */
export function describeCron(expression: string): string | null {
  const hit = described.get(expression);
  if (hit !== undefined) return hit;
  const words = describeUncached(expression);
  if (described.size > 2000) described.clear();
  described.set(expression, words);
  return words;
}

function describeUncached(expression: string): string | null {
  const trimmed = expression.trim();
  if (!trimmed || cronError(trimmed) !== null) return null;
  const words = cronstrue.toString(trimmed, {
    throwExceptionOnParseError: false,
    use24HourTimeFormat: uses24HourClock(),
    verbose: false,
  });
  return words.startsWith('An error occurred') ? null : words;
}

/** True for a 6-field pattern (seconds first), whose runs are shown to the second. */
export function hasSeconds(expression: string): boolean {
  return expression.trim().split(/\s+/).length === 6;
}

export function triggerPattern(trigger: Trigger): string {
  switch (trigger.type) {
    case 'cron':
      return trigger.expression;
    case 'interval':
      return `every ${trigger.everySeconds} s`;
    case 'once':
      return `once at ${trigger.at.replace('T', ' ')}`;
  }
}

export function triggerWords(trigger: Trigger): string | null {
  return trigger.type === 'cron' ? describeCron(trigger.expression) : null;
}
