import { nothingMapped, type MappedEvents } from '../shared/event-drafts.js';
import type { MappingOptions } from '../shared/mapping-options.js';
import { parsePayload } from '../shared/parse-payload.js';
import { mapAlertGroup } from '../alertmanager/map-alert-group.js';
import { grafanaPayloadSchema } from './grafana-payload.js';

/**
 * Grafana-managed rules carry `alertname` and `grafana_folder` and often nothing else: the folder names the
 * service when no SERVICE_LABELS label does (the webhook carries no rule group label to fall back on).
 */
const GRAFANA_SERVICE_FALLBACKS = ['grafana_folder'];

/** Grafana alerting webhook -> alert.triggered / alert.resolved, exactly as for Alertmanager. */
export function mapGrafana(payload: unknown, options: MappingOptions): MappedEvents {
  const parsed = parsePayload(grafanaPayloadSchema, payload);
  if ('errors' in parsed) return nothingMapped(parsed.errors);
  return mapAlertGroup(parsed.value, { source: 'grafana', idPrefix: 'grafana', fallbackServiceLabels: GRAFANA_SERVICE_FALLBACKS }, options);
}
