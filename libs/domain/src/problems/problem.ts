import type { ValidationIssue } from '../events/parse-event.js';

/**
 * Every kind of failure Aftermath reports, each an RFC 9457 problem type: the HTTP status a service
 * answers it with and a title that never changes. A service that cannot be configured or a template that
 * cannot render is the server's fault, hence a 5xx, although neither is ever an HTTP answer today.
 */
export const PROBLEM_TYPES = {
  'invalid-request': { status: 400, title: 'Invalid request' },
  'invalid-json': { status: 400, title: 'Invalid JSON' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not Found' },
  conflict: { status: 409, title: 'Conflict' },
  'content-too-large': { status: 413, title: 'Content Too Large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type' },
  'internal-error': { status: 500, title: 'Internal Server Error' },
  'invalid-configuration': { status: 500, title: 'Invalid configuration' },
  'invalid-template': { status: 500, title: 'Invalid template' },
  'service-unavailable': { status: 503, title: 'Service Unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemType = keyof typeof PROBLEM_TYPES;

/** The `type` URI of a problem type in problem+json (RFC 9457 section 3.1.1). */
export const problemTypeUri = (type: ProblemType): string => `urn:problem-type:aftermath:${type}`;

/**
 * The one error class Aftermath throws on purpose: what went wrong, of which kind. Services answer it as
 * `application/problem+json` (ProblemFilter, libs/platform), the CLIs print its detail; anything else
 * thrown is a bug, answered as a 500 and logged with its stack.
 */
export class Problem extends Error {
  readonly status: number;
  readonly title: string;
  /** The failing fields, for `invalid-request` (400) only. */
  readonly errors?: ValidationIssue[];

  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    options: { errors?: ValidationIssue[]; cause?: unknown } = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = `Problem(${type})`;
    this.status = PROBLEM_TYPES[type].status;
    this.title = PROBLEM_TYPES[type].title;
    if (options.errors) this.errors = options.errors;
  }
}

/** True when `error` is a Problem, of `type` when one is given. */
export function isProblem(error: unknown, type?: ProblemType): error is Problem {
  return error instanceof Problem && (type === undefined || error.type === type);
}

export const invalidRequest = (errors: ValidationIssue[]) =>
  new Problem('invalid-request', errors.length === 1 ? `${errors[0]!.path || '(body)'}: ${errors[0]!.message}` : `${errors.length} fields are invalid`, { errors });

export const unauthorized = (detail: string) => new Problem('unauthorized', detail);

export const forbidden = (detail: string) => new Problem('forbidden', detail);

export const notFound = (detail: string) => new Problem('not-found', detail);

export const conflict = (detail: string) => new Problem('conflict', detail);

export const contentTooLarge = (detail: string) => new Problem('content-too-large', detail);

export const unsupportedMediaType = (detail: string) => new Problem('unsupported-media-type', detail);

/** An environment variable a service or CLI cannot run with; `detail` names it, on one line for the operator. */
export const invalidConfiguration = (detail: string) => new Problem('invalid-configuration', `Invalid configuration: ${detail}`);

/** A dependency (Kafka, the database) cannot do its part now; the caller should retry (HTTP 503). */
export const serviceUnavailable = (detail: string, cause?: unknown) => new Problem('service-unavailable', detail, { cause });

/** What a thrown value says, whatever was thrown (a library may throw a string). */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
