import { hexSignatureMatches, hmacSha256 } from '../shared/hmac.js';

/**
 * PagerDuty v3: `X-PagerDuty-Signature` holds comma-separated `v1=<hex HMAC-SHA256 of the raw body>`,
 * one per signing secret of the subscription (several during a rotation). The request is authentic
 * when any presented v1 signature matches any configured secret; other versions are ignored.
 */
export function verifyPagerDutySignature(rawBody: Buffer | string | undefined, header: string | undefined, secrets: readonly string[]): boolean {
  if (rawBody === undefined || !header) return false;
  const presented = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3));
  let matched = false;
  // Every pair is compared, so the time taken does not tell which secret or signature matched.
  for (const secret of secrets) {
    const expected = hmacSha256(secret, rawBody);
    for (const signature of presented) matched = hexSignatureMatches(signature, expected) || matched;
  }
  return matched;
}
