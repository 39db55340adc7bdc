import { hexSignatureMatches, hmacSha256 } from '../shared/hmac.js';

/** Older timestamps are refused as replays; Grafana sends at once, so five minutes covers clock skew and retries. */
export const GRAFANA_TIMESTAMP_TOLERANCE_SECONDS = 300;

export interface GrafanaSignedRequest {
  rawBody: Buffer | string | undefined;
  /** The signature header's value: lowercase hex HMAC-SHA256, no prefix. */
  signature: string | undefined;
  /** The timestamp header's value (Unix seconds), when the contact point is configured with one. */
  timestamp?: string | undefined;
}

/**
 * Grafana's webhook HMAC: hex HMAC-SHA256 with the shared secret of the raw body, or of
 * `timestamp + ":" + body` when the contact point names a timestamp header.
 */
export function verifyGrafanaSignature(request: GrafanaSignedRequest, secret: string, withTimestamp: boolean): boolean {
  const { rawBody, signature, timestamp } = request;
  if (rawBody === undefined || !signature || !secret) return false;
  if (withTimestamp && !timestamp) return false;
  const expected = withTimestamp ? hmacSha256(secret, `${timestamp}:`, rawBody) : hmacSha256(secret, rawBody);
  return hexSignatureMatches(signature.trim(), expected);
}

/** Whether a Unix-seconds timestamp is within the tolerance of `nowMs`, either side. */
export function isFreshTimestamp(timestamp: string | undefined, nowMs: number, toleranceSeconds = GRAFANA_TIMESTAMP_TOLERANCE_SECONDS): boolean {
  if (!timestamp || !/^\d+$/.test(timestamp.trim())) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= toleranceSeconds;
}
