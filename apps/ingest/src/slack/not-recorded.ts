import { isProblem } from '@app/platform';

/**
 * What to tell a person when Kafka did not take their input. Slack shows only what we answer, so the
 * reason goes into the reply rather than into a bare 503 that Slack would render as "failed".
 */
export function notRecordedReason(error: unknown): string | null {
  if (isProblem(error, 'service-unavailable')) return `Nothing recorded: ${error.detail}. Send it again in a moment; a repeat is recorded once.`;
  if (isProblem(error)) return `Nothing recorded: ${error.detail}.`;
  return null;
}
