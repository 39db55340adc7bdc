import type { Request } from 'express';
import { ProblemException } from '@app/platform';

/** Write endpoints take JSON only; anything else is a 415 rather than a confusing validation error. */
export function requireJson(request: Request, accepted = /^application\/(?:[\w.+-]+\+)?json\b/i): void {
  const type = request.headers['content-type'] ?? '';
  if (!accepted.test(type)) {
    throw new ProblemException(415, 'Unsupported Media Type', `expected application/json, got ${type || 'no Content-Type'}`);
  }
}
