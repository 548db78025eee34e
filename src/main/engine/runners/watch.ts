/**
 * The `watch` action: run a probe (an http or command check) every `intervalSeconds`, up to
 * `maxAttempts`, until its condition holds; then post `onSuccessMessage`, or `onFailureMessage`
 * when attempts run out. Waiting goes through the engine's clock, so tests drive it.
 */
import { fillTemplate, type WatchAction, type WatchCondition } from '../../../shared/domain';
import { OutputTail } from '../output';
import type { Outcome, RunContext } from '../ports';
import { runCommand, type CommandOptions } from './command';
import { runHttp } from './http';
import { resultExcerpt } from './result';

/** A probe's output is kept up to this much (enough for a JSON document to be parsed). */
const PROBE_OUTPUT_CAP = 256 * 1024;
const LOG_EXCERPT = 200;

interface Verdict {
  met: boolean;
  why: string;
}

/** Reads `a.b.0.c` out of a parsed JSON value. */
function fieldAt(value: unknown, path: string): { found: boolean; value: unknown } {
  let current = value;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) {
      return { found: false, value: undefined };
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return { found: true, value: current };
}

function judge(action: WatchAction, outcome: Outcome, output: string): Verdict {
  const until: WatchCondition | undefined = action.until;
  const probeFailed = outcome.status !== 'succeeded' && outcome.status !== 'failed';
  if (probeFailed) return { met: false, why: outcome.reason ?? outcome.status };
  if (!until) {
    return outcome.status === 'succeeded'
      ? { met: true, why: 'the probe succeeded' }
      : { met: false, why: outcome.reason ?? 'the probe failed' };
  }
  switch (until.type) {
    case 'status':
      if (outcome.httpStatus === null || outcome.httpStatus === undefined)
        return { met: false, why: outcome.reason ?? 'no response' };
      return until.in.includes(outcome.httpStatus)
        ? { met: true, why: `status ${outcome.httpStatus}` }
        : { met: false, why: `status ${outcome.httpStatus} is not one of ${until.in.join(', ')}` };
    case 'exitZero':
      return outcome.exitCode === 0
        ? { met: true, why: 'exit code 0' }
        : { met: false, why: outcome.reason ?? `exit code ${outcome.exitCode}` };
    case 'json': {
      if (!output.trim()) return { met: false, why: outcome.reason ?? 'no output' };
      let parsed: unknown;
      try {
        parsed = JSON.parse(output);
      } catch {
        return { met: false, why: 'the output is not JSON' };
      }
      const field = fieldAt(parsed, until.path);
      if (!field.found) return { met: false, why: `${until.path} is absent` };
      const shown = JSON.stringify(field.value);
      return until.equals.some((wanted) => wanted === field.value)
        ? { met: true, why: `${until.path} is ${shown}` }
        : {
            met: false,
            why: `${until.path} is ${shown}, not ${until.equals.map((v) => JSON.stringify(v)).join(' or ')}`,
          };
    }
  }
}

function describeProbe(outcome: Outcome): string {
  if (outcome.httpStatus !== null && outcome.httpStatus !== undefined) return `HTTP ${outcome.httpStatus}`;
  if (outcome.exitCode !== null && outcome.exitCode !== undefined) return `exit code ${outcome.exitCode}`;
  return outcome.status;
}

function aborted(context: RunContext, attempts: number): Outcome {
  const timeout = context.signal.reason === 'timeout';
  return {
    status: timeout ? 'timed-out' : 'cancelled',
    reason: `${timeout ? 'Timed out' : 'Cancelled'} after ${attempts} probe${attempts === 1 ? '' : 's'}`,
  };
}

export async function runWatch(
  action: WatchAction,
  context: RunContext,
  options: CommandOptions = {},
): Promise<Outcome> {
  let last: Outcome = { status: 'failed' };
  let result = '';
  for (let attempt = 1; attempt <= action.maxAttempts; attempt++) {
    if (context.signal.aborted) return aborted(context, attempt - 1);
    // A probe has its own deadline, and ends with the run.
    const probe = new AbortController();
    const stopDeadline = new AbortController();
    const onRunAbort = () => probe.abort(context.signal.reason);
    context.signal.addEventListener('abort', onRunAbort);
    void context
      .sleep(action.probeTimeoutSeconds * 1000, stopDeadline.signal)
      .then((elapsed) => elapsed && probe.abort('timeout'));
    const output = new OutputTail(PROBE_OUTPUT_CAP, 1);
    const probeContext: RunContext = {
      ...context,
      signal: probe.signal,
      output: (chunk) => output.write(chunk),
      notify: () => {},
    };
    try {
      last =
        action.probe.type === 'http'
          ? await runHttp(action.probe, probeContext)
          : await runCommand(action.probe, probeContext, options);
    } finally {
      stopDeadline.abort();
      context.signal.removeEventListener('abort', onRunAbort);
    }
    if (context.signal.aborted) return aborted(context, attempt);
    if (last.status === 'timed-out')
      last = { ...last, reason: `the probe took longer than ${action.probeTimeoutSeconds} s` };
    result = output.toString();
    const verdict = judge(action, last, result);
    const excerpt = resultExcerpt(result, LOG_EXCERPT).replace(/\s*\n\s*/g, ' ⏎ ');
    context.output(
      `[attempt ${attempt}/${action.maxAttempts}] ${describeProbe(last)}: ${verdict.met ? 'condition met' : 'not yet'} (${verdict.why})${excerpt ? `\n  ${excerpt}` : ''}\n`,
    );
    const values = { name: context.scheduleName, attempts: String(attempt), result: resultExcerpt(result) };
    if (verdict.met) {
      context.notify({
        title: context.scheduleName,
        body: fillTemplate(action.onSuccessMessage, values),
        level: 'success',
      });
      return { status: 'succeeded', httpStatus: last.httpStatus ?? null, exitCode: last.exitCode ?? null };
    }
    if (attempt < action.maxAttempts && !(await context.sleep(action.intervalSeconds * 1000))) {
      return aborted(context, attempt);
    }
  }
  const values = {
    name: context.scheduleName,
    attempts: String(action.maxAttempts),
    result: resultExcerpt(result),
  };
  context.notify({
    title: context.scheduleName,
    body: fillTemplate(action.onFailureMessage, values),
    level: 'failure',
  });
  return {
    status: 'failed',
    httpStatus: last.httpStatus ?? null,
    exitCode: last.exitCode ?? null,
    reason: `The condition did not hold after ${action.maxAttempts} attempt${action.maxAttempts === 1 ? '' : 's'}`,
  };
}
