/**
 * The logger every part of the app writes through: messages (and errors) lose their escape
 * sequences and control characters before they reach a terminal or a log file, because they can
 * carry a schedule's name, a command's output or a server's answer.
 */
import { plainText } from '../shared/text';
import type { Logger } from './engine/ports';

function plainError(error: unknown): string {
  if (error instanceof Error) return plainText(error.stack ?? `${error.name}: ${error.message}`);
  return plainText(String(error));
}

export function plainLogger(inner: Logger): Logger {
  return {
    info: (message) => inner.info(plainText(message)),
    warn: (message) => inner.warn(plainText(message)),
    error: (message, error) =>
      inner.error(plainText(message), error === undefined ? undefined : plainError(error)),
  };
}
