import { isUtf8 } from 'node:buffer';
import type { Request } from 'express';
import { invalidRequest, unsupportedMediaType } from '@app/platform';

/**
 * Write endpoints take JSON only; anything else is a 415 rather than a confusing validation error.
 * JSON is UTF-8 (RFC 8259): the body parser would silently turn invalid bytes into U+FFFD, storing
 * text the sender never sent, so a body that is not valid UTF-8 is a 400, and a `charset` other than
 * UTF-8 a 415.
 */
export function requireJson(request: Request, accepted = /^application\/(?:[\w.+-]+\+)?json\b/i): void {
  const type = request.headers['content-type'] ?? '';
  if (!accepted.test(type)) {
    throw unsupportedMediaType(`expected application/json, got ${type || 'no Content-Type'}`);
  }
  // The body parser would decode UTF-16 or UTF-32 behind our back; JSON on the wire is UTF-8 only.
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(type)?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    throw unsupportedMediaType(`charset ${charset} is not supported: send UTF-8 JSON`);
  }
  const rawBody = (request as Request & { rawBody?: Buffer }).rawBody;
  if (rawBody && !isUtf8(rawBody)) throw invalidRequest([{ path: '', message: 'the body is not valid UTF-8' }]);
}
