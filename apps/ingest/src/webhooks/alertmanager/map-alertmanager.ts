import { nothingMapped, type MappedEvents } from '../shared/event-drafts.js';
import type { MappingOptions } from '../shared/mapping-options.js';
import { parsePayload } from '../shared/parse-payload.js';
import { alertGroupSchema } from './alert-group-schema.js';
import { mapAlertGroup } from './map-alert-group.js';

/**
 * Prometheus Alertmanager webhook (webhook_config) -> alert.triggered / alert.resolved. Version 4 is all
 * Alertmanager has sent, but relays drop or rewrite `version`: the shape decides, not the number.
 */
export function mapAlertmanager(payload: unknown, options: MappingOptions): MappedEvents {
  const parsed = parsePayload(alertGroupSchema, payload);
  if ('errors' in parsed) return nothingMapped(parsed.errors);
  return mapAlertGroup(parsed.value, { source: 'alertmanager', idPrefix: 'am' }, options);
}
