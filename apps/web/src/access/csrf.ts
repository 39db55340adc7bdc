import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/** The host of an Origin header; null for `null` (opaque origins) and anything unparseable. */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host || null;
  } catch {
    return null;
  }
}

/**
 * Cross-site request protection for the forms, two checks that each suffice against a browser:
 * a token bound to the person (HMAC with a secret of this process, in a hidden field a foreign
 * site cannot read), and the browser's own Origin / Sec-Fetch-Site headers when it sends them.
 */
export class CsrfTokens {
  private readonly secret = randomBytes(32);

  tokenFor(person: string): string {
    return createHmac('sha256', this.secret).update(person).digest('base64url');
  }

  /** Null when the request may proceed; otherwise what is wrong, for the person to read. */
  problem(request: Request, person: string, token: unknown): string | null {
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') return 'The form was sent from another site.';
    const origin = request.headers.origin;
    if (origin && hostOf(origin) !== request.headers.host) return 'The form was sent from another site.';
    const expected = Buffer.from(this.tokenFor(person));
    const presented = Buffer.from(typeof token === 'string' ? token : '');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      return 'The page was out of date (the workspace restarted since it was opened): check the values and send the form again.';
    }
    return null;
  }
}
