import { incidentLinks } from './links.js';
import type { Notice } from './notice.js';

/**
 * The body of a Standard Webhooks message: `{"type", "timestamp", "data"}`, `data` holding the incident's
 * summary, what the type adds and the links (the incident of a merge's target, for `incident.merged`).
 */
export function webhookBody(notice: Notice, webUrl: string): string {
  const linked = notice.details.mergedInto ?? notice.incidentId;
  return JSON.stringify({
    type: notice.type,
    timestamp: notice.timestamp,
    data: { incident: notice.summary, ...notice.details, links: incidentLinks(webUrl, linked) },
  });
}
