import { UNKNOWN_SERVICE } from '@app/domain';
import { correlationKeys, dedupKey } from '../shared/correlation-keys.js';
import { compact, nothingMapped, validateDrafts, type MappedEvents } from '../shared/event-drafts.js';
import type { MappingOptions } from '../shared/mapping-options.js';
import { parsePayload } from '../shared/parse-payload.js';
import { resolveService, serviceLabelOrder } from '../shared/service-name.js';
import { epochToRfc3339 } from './epoch-time.js';
import { catalogueEventFor } from './opsgenie-actions.js';
import { opsgeniePayloadSchema, type OpsgenieAlert } from './opsgenie-payload.js';

/** Opsgenie or its successor, Jira Service Management: the same alert action data, another name. */
export interface AlertActionSource {
  /** The envelope's `source`, the prefix of event ids and of the incident key (`opsgenie:<alertId>`). */
  source: string;
  /** The product name in notes ("Alert closed in Opsgenie"). */
  product: string;
}

export const OPSGENIE: AlertActionSource = { source: 'opsgenie', product: 'Opsgenie' };

/**
 * Opsgenie outgoing webhook -> one catalogue event keyed `opsgenie:<alertId>`, with the correlation key
 * `dedup:<alias>` (Alertmanager and Grafana set the alias to their hashed group key). The id joins
 * alertId, action and updatedAt as sent: Opsgenie's retries repeat all three, two actions on one alert differ.
 */
export function mapOpsgenie(payload: unknown, options: MappingOptions, tool: AlertActionSource = OPSGENIE): MappedEvents {
  const parsed = parsePayload(opsgeniePayloadSchema, payload);
  if ('errors' in parsed) return nothingMapped(parsed.errors);
  const { action, alert } = parsed.value;

  const service = serviceOf(alert, options);
  // Create happens at createdAt; any later action at the update it caused.
  const at = action === 'Create' ? alert.createdAt : (alert.updatedAt ?? alert.createdAt);
  const atPath = action === 'Create' || alert.updatedAt === undefined ? 'alert.createdAt' : 'alert.updatedAt';
  const occurredAt = epochToRfc3339(at);
  if (occurredAt === undefined) return nothingMapped([{ path: atPath, message: 'not an epoch time (seconds, ms, µs or ns) a date can hold' }]);
  const mapped = catalogueEventFor(action, alert, tool.product);
  const envelope = compact({
    id: `${tool.source}-${alert.alertId}-${action}-${alert.updatedAt ?? alert.createdAt}`,
    type: mapped.type,
    occurredAt,
    source: tool.source,
    service: service.name,
    incidentKey: `${tool.source}:${alert.alertId}`,
    correlationKeys: correlationKeys(dedupKey(alert.alias)),
    actor: alert.username || undefined,
    data: mapped.data,
  });
  const origin = compact({ id: 'alert.alertId', occurredAt: atPath, service: service.from, correlationKeys: 'alert.alias', actor: 'alert.username', ...mapped.origin }) as Record<string, string>;
  return validateDrafts([{ envelope, origin, at: 'alert' }]);
}

/** A `service:<name>` tag (or another configured label, `app:<name>`; `=` also works), else the entity, else `unknown`. */
function serviceOf(alert: OpsgenieAlert, options: MappingOptions): { name: string; from?: string } {
  const tags = alert.tags ?? [];
  for (const label of serviceLabelOrder(options)) {
    const index = tags.findIndex((tag) => tagValue(tag, label) !== undefined);
    const name = index >= 0 ? resolveService(tagValue(tags[index]!, label), options) : undefined;
    if (name) return { name, from: `alert.tags.${index}` };
  }
  const name = resolveService(alert.entity, options);
  return name ? { name, from: 'alert.entity' } : { name: UNKNOWN_SERVICE };
}

function tagValue(tag: string, label: string): string | undefined {
  const match = /^([^:=]+)[:=](.*)$/.exec(tag);
  return match && match[1]!.trim().toLowerCase() === label.toLowerCase() ? match[2] : undefined;
}
