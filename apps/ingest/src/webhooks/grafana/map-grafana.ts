import type { MappedEvents } from '../shared/event-drafts.js';
import type { MappingOptions } from '../shared/mapping-options.js';
import { parsePayload } from '../shared/parse-payload.js';
import { mapAlertGroup } from '../alertmanager/map-alert-group.js';
import { grafanaPayloadSchema } from './grafana-payload.js';

/** Grafana alerting webhook -> alert.triggered / alert.resolved, exactly as for Alertmanager. */
export function mapGrafana(payload: unknown, options: MappingOptions): MappedEvents {
  const parsed = parsePayload(grafanaPayloadSchema, payload);
  if ('errors' in parsed) return parsed;
  return mapAlertGroup(parsed.value, { source: 'grafana', idPrefix: 'grafana' }, options);
}
