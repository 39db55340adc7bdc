import { MethodNotAllowedException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { conflict, invalidRequest } from '@app/domain';
import { problemOf } from './problem.filter.js';

describe('problemOf: anything thrown while handling a request, as problem+json', () => {
  it('renders a problem of the family with its type URI, title, status, detail and failing fields', () => {
    expect(problemOf(conflict('a rebuild is already running'))).toEqual({
      type: 'urn:problem-type:aftermath:conflict',
      title: 'Conflict',
      status: 409,
      detail: 'a rebuild is already running',
    });
    expect(problemOf(invalidRequest([{ path: 'limit', message: 'too big' }]))).toMatchObject({ status: 400, title: 'Invalid request', errors: [{ path: 'limit', message: 'too big' }] });
  });

  it("maps body-parser's refusals, which Nest wraps, to their problem types", () => {
    const parser = (type: string, message = 'x') => new PayloadTooLargeException('wrapped', { cause: Object.assign(new Error(message), { type }) });
    expect(problemOf(parser('entity.too.large'))).toMatchObject({ type: 'urn:problem-type:aftermath:content-too-large', status: 413, detail: 'the body is larger than 1 MiB' });
    expect(problemOf(parser('entity.parse.failed', 'Unexpected token'))).toMatchObject({ type: 'urn:problem-type:aftermath:invalid-json', status: 400, title: 'Invalid JSON', errors: [{ path: '', message: 'body is not valid JSON: Unexpected token' }] });
    expect(problemOf(parser('charset.unsupported'))).toMatchObject({ status: 415, title: 'Unsupported Media Type' });
  });

  it("maps Nest's own exceptions by status: an unknown route is not-found, a status outside the family about:blank", () => {
    expect(problemOf(new NotFoundException('Cannot GET /v2/x'))).toEqual({ type: 'urn:problem-type:aftermath:not-found', title: 'Not Found', status: 404, detail: 'Cannot GET /v2/x' });
    expect(problemOf(new MethodNotAllowedException())).toMatchObject({ type: 'about:blank', title: 'Method Not Allowed', status: 405 });
  });

  it('answers anything else as a 500 that gives nothing of the error away', () => {
    expect(problemOf(new TypeError('cannot read properties of undefined (secret)'))).toEqual({
      type: 'urn:problem-type:aftermath:internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'the error is in the service log',
    });
  });
});
