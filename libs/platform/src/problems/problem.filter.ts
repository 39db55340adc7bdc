import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ServiceUnavailableError } from './problem.js';

interface BodyParserError {
  status?: number;
  type?: string;
  message?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Renders every error as `application/problem+json` (RFC 9457). */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost) {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblem(exception);
    if (problem.status >= 500 && !(exception instanceof ServiceUnavailableError)) {
      this.logger.error(`${request.method} ${request.path}: ${(exception as Error)?.stack ?? exception}`);
    }
    if (problem.status === 503) response.setHeader('Retry-After', '1');
    response
      .status(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify({ type: 'about:blank', ...problem, instance: request.path }));
  }

  private toProblem(exception: unknown): { status: number; title: string; detail?: string; errors?: unknown } {
    if (exception instanceof ServiceUnavailableError) {
      return { status: 503, title: TITLES[503]!, detail: exception.message };
    }
    // Nest wraps body-parser's errors in an HttpException; the original, with its `type`, is the cause.
    const parserProblem = this.bodyParserProblem((exception instanceof HttpException ? exception.cause : exception) as BodyParserError);
    if (parserProblem) return parserProblem;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null && 'title' in body) {
        return { status, ...(body as { title: string }) };
      }
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      return { status, title: TITLES[status] ?? 'Error', detail: Array.isArray(message) ? message.join('; ') : String(message ?? '') };
    }
    return { status: 500, title: TITLES[500]! };
  }

  private bodyParserProblem(error: BodyParserError | undefined) {
    switch (error?.type) {
      case 'entity.too.large':
        return { status: 413, title: TITLES[413]!, detail: 'the body is larger than 1 MiB' };
      case 'entity.parse.failed':
        return { status: 400, title: 'Invalid JSON', detail: error.message, errors: [{ path: '', message: `body is not valid JSON: ${error.message}` }] };
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return { status: 415, title: TITLES[415]!, detail: error.message };
      default:
        return null;
    }
  }
}
