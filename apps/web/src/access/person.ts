import { userInfo } from 'node:os';
import type { NextFunction, Request, Response } from 'express';
import { isLoopback, isLoopbackHost } from '@app/platform';
import type { WebConfig } from '../config.js';

/** Who is using the workspace: the actor of every event they record. */
export interface Person {
  name: string;
  /** How we know: the proxy's header, or this machine's user when the workspace is local-only. */
  via: 'proxy' | 'local';
}

const localName = (() => {
  try {
    return userInfo().username || 'local';
  } catch {
    return 'local';
  }
})();

/** Person names are actors in the event log: printable, at most 256 characters. */
const PRINTABLE = /^[^\u0000-\u001f\u007f]{1,256}$/;

export type PersonResult = { ok: true; person: Person } | { ok: false; status: number; message: string };

/**
 * Without WEB_TRUSTED_USER_HEADER, only requests from this machine are served, as this machine's user,
 * and only those naming this machine in `Host`: a page on another site whose name was rebound to
 * 127.0.0.1 (DNS rebinding) would otherwise read the workspace, and its CSRF tokens, as same-origin.
 * With it, the authenticating proxy in front names the person; a request without the header is refused
 * (it did not come through the proxy).
 */
export function identify(request: Request, config: Pick<WebConfig, 'WEB_TRUSTED_USER_HEADER'>): PersonResult {
  const header = config.WEB_TRUSTED_USER_HEADER;
  if (!header) {
    if (!isLoopback(request.socket.remoteAddress)) {
      return { ok: false, status: 403, message: 'This workspace serves this machine only: set WEB_TRUSTED_USER_HEADER and put it behind an authenticating proxy to share it.' };
    }
    if (!isLoopbackHost(request.headers.host)) {
      return { ok: false, status: 403, message: 'This workspace serves this machine only: open it as localhost or 127.0.0.1 (WEB_TRUSTED_USER_HEADER is not set).' };
    }
    return { ok: true, person: { name: localName, via: 'local' } };
  }
  const value = request.headers[header];
  const name = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!name || !PRINTABLE.test(name)) {
    return { ok: false, status: 401, message: `Not signed in: the authenticating proxy did not send the ${header} header.` };
  }
  return { ok: true, person: { name, via: 'proxy' } };
}

declare module 'express-serve-static-core' {
  interface Locals {
    person?: Person;
  }
}

/** Express middleware: sets `res.locals.person` or answers 401/403 with a plain page. */
export function personMiddleware(config: WebConfig) {
  return (request: Request, response: Response, next: NextFunction) => {
    // Health, metrics and the OpenAPI document need no person, as in the other services.
    if (request.path.startsWith('/health/') || request.path === '/metrics' || request.path === '/openapi.json') return next();
    const result = identify(request, config);
    if (!result.ok) {
      response.status(result.status).type('text/plain; charset=utf-8').send(`${result.message}\n`);
      return;
    }
    response.locals.person = result.person;
    next();
  };
}
