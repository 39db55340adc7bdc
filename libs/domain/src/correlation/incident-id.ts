import { createHash } from 'node:crypto';
import type { IncidentEvent } from '../events/envelope.js';

/**
 * The one incident-id policy, for the pipeline and the CLI alike: an incident is named after the event that
 * opened it, `inc-` and the first 16 hex digits of the SHA-256 of that event's id. Deterministic (a replay or
 * a rebuild names it the same), short and URL-safe whatever the event id holds (any 1-256 characters), and
 * the name deployed incidents already carry. Explicit keys (`INC-2025-0405-ORD`, `pagerduty:...`) stay keys.
 */
export function incidentIdFor(event: Pick<IncidentEvent, 'id'>): string {
  return `inc-${createHash('sha256').update(event.id).digest('hex').slice(0, 16)}`;
}
