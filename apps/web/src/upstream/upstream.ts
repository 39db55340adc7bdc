/** An upstream service answered with an error; `status` is its HTTP status (0 when it did not answer). */
export class UpstreamError extends Error {
  constructor(
    readonly service: string,
    readonly status: number,
    message: string,
    /** Field errors of a 400 problem+json answer, as the upstream named them. */
    readonly fieldErrors: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** Generous: an incident of 10,000 events is a few MB from the timeline, slow on a loaded machine. */
const TIMEOUT_MS = 30_000;

/** One JSON-over-HTTP call to timeline, renderer or ingest, with the configured bearer token. */
export async function callUpstream(
  service: string,
  url: string,
  token: string | undefined,
  init: { method?: string; body?: unknown; accept?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: init.accept ?? 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new UpstreamError(service, 0, `${service} did not answer (${(error as Error).message})`);
  }
  if (!response.ok) {
    const text = await response.text();
    let detail = text.slice(0, 300);
    let fieldErrors: { path: string; message: string }[] = [];
    try {
      const problem = JSON.parse(text) as { detail?: string; title?: string; errors?: { path: string; message: string }[] };
      detail = problem.detail ?? problem.title ?? detail;
      fieldErrors = problem.errors ?? [];
    } catch {
      // not problem+json: keep the text
    }
    throw new UpstreamError(service, response.status, `${service} answered ${response.status}: ${detail}`, fieldErrors);
  }
  return response;
}
