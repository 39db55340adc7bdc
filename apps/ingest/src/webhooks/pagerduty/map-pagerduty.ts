import { compact, validateDrafts, type MappedEvents } from '../shared/event-drafts.js';
import type { MappingOptions } from '../shared/mapping-options.js';
import { parsePayload } from '../shared/parse-payload.js';
import { resolveService, UNKNOWN_SERVICE } from '../shared/service-name.js';
import { catalogueEventFor } from './pagerduty-event-types.js';
import { pagerDutyPayloadSchema, type PagerDutyEvent } from './pagerduty-payload.js';

const isIncidentEvent = (event: PagerDutyEvent) => event.resource_type === 'incident' || event.event_type.startsWith('incident.');

/**
 * PagerDuty webhook v3 -> one catalogue event, keyed `pagerduty:<incident id>` so everything about one
 * PagerDuty incident correlates. The event id comes from PagerDuty's own event id: a redelivery is the
 * same event. Non-incident events (`pagey.ping`, `service.*`) map to nothing and are accepted.
 */
export function mapPagerDuty(payload: unknown, options: MappingOptions): MappedEvents {
  const parsed = parsePayload(pagerDutyPayloadSchema, payload);
  if ('errors' in parsed) return parsed;
  const event = parsed.value.event;
  if (!isIncidentEvent(event)) return { events: [] };

  const data = event.data;
  const ownIncident = data.type === 'incident' || data.type === undefined;
  const incidentId = ownIncident ? data.id : data.incident?.id;
  if (!incidentId) return { errors: [{ path: ownIncident ? 'event.data.id' : 'event.data.incident.id', message: 'the PagerDuty incident id is required' }] };

  // Notes, status updates and responder requests name no service: their incidentKey attaches them.
  const service = data.service ? resolveService(data.service.summary ?? undefined, options) : UNKNOWN_SERVICE;
  if (!service) return { errors: [{ path: 'event.data.service.summary', message: 'the incident service has no usable name' }] };

  const mapped = catalogueEventFor(event);
  const envelope = compact({
    id: `pagerduty-${event.id}`,
    type: mapped.type,
    occurredAt: event.occurred_at,
    source: 'pagerduty',
    service,
    incidentKey: `pagerduty:${incidentId}`,
    actor: event.agent?.summary ?? undefined,
    data: mapped.data,
  });
  const origin = { id: 'event.id', occurredAt: 'event.occurred_at', service: 'event.data.service.summary', actor: 'event.agent.summary', ...mapped.origin };
  return validateDrafts([{ envelope, origin, at: 'event' }]);
}
