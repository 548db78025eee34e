import type { HttpAction } from '../../../shared/domain';
import type { Outcome, RunContext } from '../ports';

const RESPONSE_CAP = 64 * 1024;

function accepted(action: HttpAction, status: number): boolean {
  return action.expectStatus ? action.expectStatus.includes(status) : status >= 200 && status <= 299;
}

export async function runHttp(action: HttpAction, context: RunContext): Promise<Outcome> {
  try {
    const response = await fetch(action.url, {
      method: action.method,
      headers: action.headers,
      body: action.method === 'GET' || action.method === 'HEAD' ? undefined : action.body,
      signal: context.signal,
      redirect: 'follow',
    });
    const text = await response.text();
    context.output(text.length > RESPONSE_CAP ? `${text.slice(0, RESPONSE_CAP)}\n… [truncated]` : text);
    const ok = accepted(action, response.status);
    return {
      status: ok ? 'succeeded' : 'failed',
      httpStatus: response.status,
      reason: ok ? null : `HTTP ${response.status} was not an expected status`,
    };
  } catch (error) {
    if (context.signal.aborted) {
      const timeout = context.signal.reason === 'timeout';
      return { status: timeout ? 'timed-out' : 'cancelled', reason: timeout ? 'Timed out' : 'Cancelled' };
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code
      ? cause.code === 'ECONNREFUSED'
        ? `Connection refused by ${new URL(action.url).host}`
        : cause.code === 'ENOTFOUND'
          ? `Host not found: ${new URL(action.url).hostname}`
          : `${cause.code}: ${cause.message ?? ''}`.trim()
      : (error as Error).message;
    return { status: 'failed', reason };
  }
}
