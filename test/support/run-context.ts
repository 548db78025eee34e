/** A RunContext for calling one runner directly, with real timers and everything it was given recorded. */
import type { RunContext, RunMessage } from '../../src/main/engine/ports';

export interface TestContext {
  context: RunContext;
  controller: AbortController;
  output(): string;
  chunks: string[];
  messages: RunMessage[];
}

export function testContext(overrides: Partial<RunContext> = {}): TestContext {
  const controller = new AbortController();
  const chunks: string[] = [];
  const messages: RunMessage[] = [];
  const context: RunContext = {
    runId: 'run-1',
    scheduleId: 'schedule-1',
    scheduleName: 'test schedule',
    attempt: 1,
    signal: controller.signal,
    output: (chunk) => chunks.push(chunk),
    notify: (message) => messages.push(message),
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(true), ms);
        const stop = () => {
          clearTimeout(timer);
          resolve(false);
        };
        controller.signal.addEventListener('abort', stop);
        signal?.addEventListener('abort', stop);
      }),
    ...overrides,
  };
  return { context, controller, output: () => chunks.join(''), chunks, messages };
}
