import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { isLoopback, isLoopbackHost } from './loopback.js';
import { unauthorized } from '../problems/problem.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Equal-length digests make the comparison constant-time whatever the token lengths. */
export function tokenMatches(presented: string, accepted: readonly string[]): boolean {
  const presentedDigest = digest(presented);
  let matched = false;
  for (const token of accepted) matched = timingSafeEqual(presentedDigest, digest(token)) || matched;
  return matched;
}

/**
 * Checks the request's bearer token against `accepted`. Without configured tokens only local senders
 * are accepted, so an unconfigured instance is never an open door: the peer must be this machine and
 * the `Host` it named too (a page whose name was rebound to 127.0.0.1 sends its own name). Throws a
 * 401 problem otherwise.
 */
export function authorizeBearer(request: Request, accepted: readonly string[], variable: string): void {
  if (accepted.length === 0) {
    if (isLoopback(request.socket.remoteAddress) && isLoopbackHost(request.headers.host)) return;
    throw unauthorized(`${variable} is not set: only local requests are accepted`);
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match) throw unauthorized('missing bearer token');
  if (!tokenMatches(match[1]!, accepted)) throw unauthorized('wrong bearer token');
}
