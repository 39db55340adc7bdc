import { messageOf } from '@app/domain';

/** What one attempt got: the receiver's HTTP status, or what stopped the request before an answer. */
export type Answer = { httpStatus: number; error: null } | { httpStatus: null; error: string };

/**
 * POSTs a JSON body and waits at most `timeoutMs` for the answer (connect, send and the answer's body):
 * redirects are not followed (a receiver answers where it was configured, or the attempt failed).
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<Answer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Aftermath-Notifier/1', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Read (and drop) the answer, so the connection can be reused; a receiver's body is never kept.
    await response.arrayBuffer().catch(() => undefined);
    return { httpStatus: response.status, error: null };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return { httpStatus: null, error: `no answer within ${timeoutMs / 1000} s` };
    return { httpStatus: null, error: cause ?? messageOf(error) };
  }
}
