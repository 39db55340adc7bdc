import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { isProblem, Problem, PROBLEM_TYPES, problemTypeUri, type ProblemType, type ValidationIssue } from '@app/domain';
import type { Request, Response } from 'express';

/** A problem+json body (RFC 9457) without its `instance`, which is the request's path. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: ValidationIssue[];
}

interface BodyParserError {
  type?: string;
  message?: string;
}

const TYPE_OF_STATUS = new Map<number, ProblemType>(
  (['invalid-request', 'unauthorized', 'forbidden', 'not-found', 'conflict', 'content-too-large', 'unsupported-media-type', 'internal-error', 'service-unavailable'] as const).map((type) => [PROBLEM_TYPES[type].status, type]),
);

const details = (problem: Problem): ProblemDetails => ({
  type: problemTypeUri(problem.type),
  title: problem.title,
  status: problem.status,
  detail: problem.detail,
  ...(problem.errors ? { errors: problem.errors } : {}),
});

/** What body-parser refused (Nest wraps its errors in an HttpException; the original is the cause). */
function bodyParserProblem(error: BodyParserError | undefined): Problem | null {
  switch (error?.type) {
    case 'entity.too.large':
      return new Problem('content-too-large', 'the body is larger than 1 MiB');
    case 'entity.parse.failed':
      return new Problem('invalid-json', error.message ?? '', { errors: [{ path: '', message: `body is not valid JSON: ${error.message}` }] });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new Problem('unsupported-media-type', error.message ?? '');
    default:
      return null;
  }
}

/**
 * Anything thrown while handling a request, as the problem it is: a Problem as itself, what body-parser
 * and Nest's router refuse (an unknown route is a 404) as the matching type, anything else as a 500.
 */
export function problemOf(exception: unknown): ProblemDetails {
  if (exception instanceof Problem) return details(exception);
  const parserProblem = bodyParserProblem((exception instanceof HttpException ? exception.cause : exception) as BodyParserError);
  if (parserProblem) return details(parserProblem);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const type = TYPE_OF_STATUS.get(status);
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.join('; ') : String(message ?? '');
    // A status outside the family has no more meaning than the status itself (RFC 9457: about:blank).
    return type ? details(new Problem(type, detail)) : { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail };
  }
  return details(new Problem('internal-error', 'the error is in the service log'));
}

/** Answers `problem` as `application/problem+json`; a 503 says when to retry. */
export function sendProblem(response: Response, problem: ProblemDetails, instance: string): void {
  if (problem.status === 503) response.setHeader('Retry-After', '1');
  response
    .status(problem.status)
    .type('application/problem+json')
    .send(JSON.stringify({ ...problem, instance }));
}

/**
 * Renders every error as `application/problem+json` (RFC 9457). A 5xx other than a dependency being away
 * (503, retried by the caller, and in the access log) is logged with its stack.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost) {
    const request = host.switchToHttp().getRequest<Request>();
    const problem = problemOf(exception);
    if (problem.status >= 500 && !isProblem(exception, 'service-unavailable')) {
      this.logger.error(`${request.method} ${request.path}: ${exception instanceof Error ? exception.stack : String(exception)}`);
    }
    sendProblem(host.switchToHttp().getResponse<Response>(), problem, request.path);
  }
}
