import { messageOf, Problem, type ValidationIssue } from '@app/domain';

/**
 * What an upstream service's error means to the workspace: its 404 and its 400 (with the fields it named)
 * passed on as the same problems, anything else, no answer included, as that service being unavailable.
 */
export class UpstreamError extends Problem {
  constructor(
    readonly service: string,
    upstreamStatus: number,
    detail: string,
    errors?: ValidationIssue[],
  ) {
    super(upstreamStatus === 404 ? 'not-found' : upstreamStatus === 400 ? 'invalid-request' : 'service-unavailable', detail, { errors });
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
    throw new UpstreamError(service, 0, `${service} did not answer (${messageOf(error)})`);
  }
  if (!response.ok) {
    const text = await response.text();
    let detail = text.slice(0, 300);
    let errors: ValidationIssue[] | undefined;
    try {
      const problem = JSON.parse(text) as { detail?: string; title?: string; errors?: ValidationIssue[] };
      detail = problem.detail ?? problem.title ?? detail;
      errors = problem.errors;
    } catch {
      // not problem+json: keep the text
    }
    throw new UpstreamError(service, response.status, `${service} answered ${response.status}: ${detail}`, errors);
  }
  return response;
}
