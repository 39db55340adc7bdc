import { compact, validateDrafts, type MappedEvents } from '../shared/event-drafts.js';
import type { MappingOptions } from '../shared/mapping-options.js';
import { parsePayload } from '../shared/parse-payload.js';
import { resolveService, serviceLabelOrder } from '../shared/service-name.js';
import { epochToRfc3339 } from './epoch-time.js';
import { catalogueEventFor } from './opsgenie-actions.js';
import { opsgeniePayloadSchema, type OpsgenieAlert } from './opsgenie-payload.js';

/**
 * Opsgenie outgoing webhook -> one catalogue event keyed `opsgenie:<alertId>`. The id joins alertId,
 * action and updatedAt as sent: Opsgenie's retries repeat all three, two actions on one alert differ.
 */
export function mapOpsgenie(payload: unknown, options: MappingOptions): MappedEvents {
  const parsed = parsePayload(opsgeniePayloadSchema, payload);
  if ('errors' in parsed) return parsed;
  const { action, alert } = parsed.value;

  const service = serviceOf(alert, options);
  if (!service) {
    const tags = serviceLabelOrder(options).map((label) => `${label}:<name>`).join(', ');
    return { errors: [{ path: 'alert.tags', message: `no service: tag the alert ${tags}, or set its entity` }] };
  }
  // Create happens at createdAt; any later action at the update it caused.
  const at = action === 'Create' ? alert.createdAt : (alert.updatedAt ?? alert.createdAt);
  const atPath = action === 'Create' || alert.updatedAt === undefined ? 'alert.createdAt' : 'alert.updatedAt';
  const occurredAt = epochToRfc3339(at);
  if (occurredAt === undefined) return { errors: [{ path: atPath, message: 'not an epoch time (seconds, ms, µs or ns) a date can hold' }] };
  const mapped = catalogueEventFor(action, alert);
  const envelope = compact({
    id: `opsgenie-${alert.alertId}-${action}-${alert.updatedAt ?? alert.createdAt}`,
    type: mapped.type,
    occurredAt,
    source: 'opsgenie',
    service: service.name,
    incidentKey: `opsgenie:${alert.alertId}`,
    actor: alert.username || undefined,
    data: mapped.data,
  });
  const origin = { occurredAt: atPath, service: service.from, actor: 'alert.username', ...mapped.origin };
  return validateDrafts([{ envelope, origin, at: 'alert' }]);
}

/** A `service:<name>` tag (or another configured label, `app:<name>`; `=` also works), else the entity. */
function serviceOf(alert: OpsgenieAlert, options: MappingOptions): { name: string; from: string } | undefined {
  const tags = alert.tags ?? [];
  for (const label of serviceLabelOrder(options)) {
    const index = tags.findIndex((tag) => tagValue(tag, label) !== undefined);
    const name = index >= 0 ? resolveService(tagValue(tags[index]!, label), options) : undefined;
    if (name) return { name, from: `alert.tags.${index}` };
  }
  const name = resolveService(alert.entity, options);
  return name ? { name, from: 'alert.entity' } : undefined;
}

function tagValue(tag: string, label: string): string | undefined {
  const match = /^([^:=]+)[:=](.*)$/.exec(tag);
  return match && match[1]!.trim().toLowerCase() === label.toLowerCase() ? match[2] : undefined;
}
