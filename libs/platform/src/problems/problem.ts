import { HttpException } from '@nestjs/common';

export interface FieldIssue {
  path: string;
  message: string;
}

/** An RFC 9457 problem: what went wrong, in a shape clients can act on. */
export class ProblemException extends HttpException {
  constructor(status: number, title: string, detail?: string, readonly errors?: FieldIssue[]) {
    super({ title, detail, errors }, status);
  }
}

export const invalidRequest = (errors: FieldIssue[]) =>
  new ProblemException(
    400,
    'Invalid request',
    errors.length === 1 ? `${errors[0]!.path || '(body)'}: ${errors[0]!.message}` : `${errors.length} fields are invalid`,
    errors,
  );

export const unauthorized = (detail: string) => new ProblemException(401, 'Unauthorized', detail);

export const notFound = (detail: string) => new ProblemException(404, 'Not Found', detail);

/** A dependency (Kafka, the database) cannot do its part now; clients should retry (HTTP 503). */
export class ServiceUnavailableError extends Error {}
