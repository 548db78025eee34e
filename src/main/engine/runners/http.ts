/**
 * The `http` action: one request through fetch, ended by the run's abort signal (timeout or cancel).
 * The body is streamed into the run's output, which keeps a capped head and tail, so a large
 * response never sits whole in memory.
 */
import type { HttpAction } from '../../../shared/domain';
import type { Outcome, RunContext } from '../ports';

function accepted(action: HttpAction, status: number): boolean {
  return action.expectStatus ? action.expectStatus.includes(status) : status >= 200 && status <= 299;
}

/** A network failure in a sentence a person can act on. */
export function networkReason(url: string, error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const { host, hostname } = new URL(url);
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return `Connection refused by ${host}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `Host not found: ${hostname} (DNS lookup failed)`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `Connection to ${host} was closed before the response ended`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `Connecting to ${host} timed out`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `No route to ${host}`;
    default:
      if (cause?.code) return `${cause.code}: ${cause.message ?? ''}`.trim();
      return cause?.message ?? (error as Error).message;
  }
}

export async function runHttp(action: HttpAction, context: RunContext): Promise<Outcome> {
  let status: number | null = null;
  try {
    const response = await fetch(action.url, {
      method: action.method,
      headers: action.headers,
      body: action.method === 'GET' || action.method === 'HEAD' ? undefined : action.body,
      signal: context.signal,
      redirect: 'follow',
    });
    status = response.status;
    if (response.body) {
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        const text = decoder.decode(chunk as Uint8Array, { stream: true });
        if (text) context.output(text);
      }
      const rest = decoder.decode();
      if (rest) context.output(rest);
    }
    const ok = accepted(action, status);
    return {
      status: ok ? 'succeeded' : 'failed',
      httpStatus: status,
      reason: ok
        ? null
        : `HTTP ${`${status} ${response.statusText}`.trim()} was not an expected status (${action.expectStatus?.join(', ') ?? '200–299'})`,
    };
  } catch (error) {
    if (context.signal.aborted) {
      const timeout = context.signal.reason === 'timeout';
      return {
        status: timeout ? 'timed-out' : 'cancelled',
        httpStatus: status,
        reason: timeout ? 'Timed out; the request was aborted' : 'Cancelled; the request was aborted',
      };
    }
    return { status: 'failed', httpStatus: status, reason: networkReason(action.url, error) };
  }
}
