import { HttpException } from '@nestjs/common';
import { ServiceUnavailableError } from '@app/platform';

/**
 * What to tell a person when Kafka did not take their input. Slack shows only what we answer, so the
 * reason goes into the reply rather than into a bare 503 that Slack would render as "failed".
 */
export function notRecordedReason(error: unknown): string | null {
  if (error instanceof ServiceUnavailableError) return `Nothing recorded: ${error.message}. Send it again in a moment; a repeat is recorded once.`;
  if (error instanceof HttpException) return `Nothing recorded: ${error.message}.`;
  return null;
}
