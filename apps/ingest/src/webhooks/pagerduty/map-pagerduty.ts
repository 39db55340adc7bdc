import { UNKNOWN_SERVICE } from '@app/domain';
import { correlationKeys, dedupKey } from '../shared/correlation-keys.js';
import { compact, nothingMapped, validateDrafts, type MappedEvents } from '../shared/event-drafts.js';
import type { MappingOptions } from '../shared/mapping-options.js';
import { parsePayload } from '../shared/parse-payload.js';
import { resolveService } from '../shared/service-name.js';
import { catalogueEventFor } from './pagerduty-event-types.js';
import { pagerDutyPayloadSchema, type PagerDutyEvent } from './pagerduty-payload.js';

const isIncidentEvent = (event: PagerDutyEvent) => event.resource_type === 'incident' || event.event_type.startsWith('incident.');

/**
 * PagerDuty webhook v3 -> one catalogue event, keyed `pagerduty:<incident id>` so everything about one
 * PagerDuty incident correlates. The event id comes from PagerDuty's own event id: a redelivery is the
 * same event. Non-incident events (`pagey.ping`, `service.*`) map to nothing and are accepted.
 * The incident's `incident_key` becomes the correlation key `dedup:<incident_key>`.
 */
export function mapPagerDuty(payload: unknown, options: MappingOptions): MappedEvents {
  const parsed = parsePayload(pagerDutyPayloadSchema, payload);
  if ('errors' in parsed) return nothingMapped(parsed.errors);
  const event = parsed.value.event;
  if (!isIncidentEvent(event)) return { events: [], keptAside: [] };

  const data = event.data;
  const ownIncident = data.type === 'incident' || data.type === undefined;
  const incidentId = ownIncident ? data.id : data.incident?.id;
  if (!incidentId) return nothingMapped([{ path: ownIncident ? 'event.data.id' : 'event.data.incident.id', message: 'the PagerDuty incident id is required' }]);

  // Notes, status updates and responder requests name no service (nor does an incident whose service
  // reference is null): their keys attach them.
  const service = resolveService(data.service?.summary, options) ?? UNKNOWN_SERVICE;

  const mapped = catalogueEventFor(event);
  const envelope = compact({
    id: `pagerduty-${event.id}`,
    type: mapped.type,
    occurredAt: event.occurred_at,
    source: 'pagerduty',
    service,
    incidentKey: `pagerduty:${incidentId}`,
    // PagerDuty shows an Events API dedup_key as the incident's incident_key: Alertmanager's and Grafana's hashed group key.
    correlationKeys: correlationKeys(dedupKey(data.incident_key)),
    actor: event.agent?.summary ?? undefined,
    data: mapped.data,
  });
  const origin = { id: 'event.id', correlationKeys: 'event.data.incident_key', occurredAt: 'event.occurred_at', service: 'event.data.service.summary', actor: 'event.agent.summary', ...mapped.origin };
  return validateDrafts([{ envelope, origin, at: 'event' }]);
}
