import type { FieldIssue } from '@app/platform';
import { compact, validateDrafts, type EventDraft, type MappedEvents } from '../shared/event-drafts.js';
import type { MappingOptions } from '../shared/mapping-options.js';
import { resolveService, serviceLabelOrder } from '../shared/service-name.js';
import type { Alert, AlertGroup } from './alert-group-schema.js';

/** Which tool sent the group: names the envelope source and prefixes the event ids. */
export interface AlertSource {
  source: string;
  idPrefix: string;
}

/** Go's zero time: what Alertmanager and Grafana send as `endsAt` when no end is known. */
const isZeroTime = (value: string | undefined) => !value || value.startsWith('0001-01-01');

/**
 * One event per alert. The id is built from the fingerprint, the start of this firing episode and the
 * status, all stable across re-sends of the group, so Alertmanager repeating a notification every
 * `repeat_interval` changes nothing, while a new episode of the same alert is a new event.
 */
export function mapAlertGroup(group: AlertGroup, tool: AlertSource, options: MappingOptions): MappedEvents {
  const drafts: EventDraft[] = [];
  const errors: FieldIssue[] = [];
  group.alerts.forEach((alert, index) => {
    const draft = draftFor(alert, `alerts.${index}`, tool, options);
    if ('path' in draft) errors.push(draft);
    else drafts.push(draft);
  });
  return errors.length > 0 ? { errors } : validateDrafts(drafts);
}

function draftFor(alert: Alert, at: string, tool: AlertSource, options: MappingOptions): EventDraft | FieldIssue {
  const serviceLabel = serviceLabelOrder(options).find((name) => alert.labels[name]?.trim());
  const service = resolveService(serviceLabel && alert.labels[serviceLabel], options);
  if (!service) {
    return { path: `${at}.labels.service`, message: `no service: set a label ${serviceLabelOrder(options).join(', or ')} (SERVICE_LABELS)` };
  }
  const resolved = alert.status === 'resolved';
  if (resolved && isZeroTime(alert.endsAt)) return { path: `${at}.endsAt`, message: 'a resolved alert needs its end time' };
  const id = `${tool.idPrefix}-${alert.fingerprint}-${Date.parse(alert.startsAt)}-${alert.status}`;
  const incidentKey = alert.labels.incident_key || alert.annotations.incident_key || undefined;
  const common = { id, source: tool.source, service, incidentKey };
  const origin = {
    service: `${at}.labels.${serviceLabel}`,
    incidentKey: `${at}.${alert.labels.incident_key ? 'labels' : 'annotations'}.incident_key`,
    occurredAt: `${at}.${resolved ? 'endsAt' : 'startsAt'}`,
    'data.alertName': `${at}.labels.alertname`,
    'data.labels': `${at}.labels`,
  };
  if (resolved) {
    const data = { alertName: alert.labels.alertname, fingerprint: alert.fingerprint };
    return { at, origin, envelope: compact({ ...common, type: 'alert.resolved', occurredAt: alert.endsAt, data }) };
  }
  const data = compact({
    alertName: alert.labels.alertname,
    severity: alert.labels.severity,
    summary: alert.annotations.summary ?? alert.annotations.description,
    fingerprint: alert.fingerprint,
    labels: alert.labels,
  });
  return { at, origin, envelope: compact({ ...common, type: 'alert.triggered', occurredAt: alert.startsAt, data }) };
}
