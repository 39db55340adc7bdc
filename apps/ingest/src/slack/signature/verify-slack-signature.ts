import { hexSignatureMatches, hmacSha256 } from '../../webhooks/shared/hmac.js';

/** Slack refuses to act on requests more than five minutes from its clock; so do we, both ways (replays and skew). */
export const MAX_REQUEST_AGE_SECONDS = 5 * 60;

export interface SlackRequestToVerify {
  rawBody: Buffer | undefined;
  /** X-Slack-Request-Timestamp: Unix seconds. */
  timestamp: string | undefined;
  /** X-Slack-Signature: `v0=` and the hex HMAC-SHA256. */
  signature: string | undefined;
}

/**
 * Slack's request signing: `v0=` + HMAC-SHA256(signing secret, `v0:<timestamp>:<raw body>`), compared in
 * constant time, with a timestamp at most five minutes from now. Returns why a request fails, or null.
 */
export function slackSignatureProblem(request: SlackRequestToVerify, secret: string, nowMs: number): string | null {
  const { rawBody, timestamp, signature } = request;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return 'missing or malformed X-Slack-Request-Timestamp header';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_REQUEST_AGE_SECONDS) return 'X-Slack-Request-Timestamp is more than 5 minutes from now (a replay, or a clock off)';
  if (!signature) return 'missing X-Slack-Signature header';
  if (!signature.startsWith('v0=')) return 'X-Slack-Signature is not a v0 signature';
  if (!rawBody) return 'no request body to verify';
  const expected = hmacSha256(secret, `v0:${timestamp}:`, rawBody);
  return hexSignatureMatches(signature.slice('v0='.length), expected) ? null : 'wrong X-Slack-Signature signature';
}
