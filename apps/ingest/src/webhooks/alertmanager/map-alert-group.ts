import { UNKNOWN_SERVICE, type ValidationIssue } from '@app/domain';
import { correlationKeys, groupKeyCorrelation } from '../shared/correlation-keys.js';
import { compact, joinPath, keptAside, validateDrafts, type EventDraft, type KeptAside, type MappedEvents } from '../shared/event-drafts.js';
import type { MappingOptions } from '../shared/mapping-options.js';
import { parsePayload } from '../shared/parse-payload.js';
import { resolveService, serviceLabelOrder } from '../shared/service-name.js';
import { alertSchema, type Alert, type AlertGroup } from './alert-group-schema.js';
import { labelsFingerprint } from './labels-fingerprint.js';

/** Which tool sent the group: names the envelope source, prefixes the event ids, adds service fallbacks. */
export interface AlertSource {
  source: string;
  idPrefix: string;
  /** Labels tried after SERVICE_LABELS (Grafana: its folder), before the service falls back to `unknown`. */
  fallbackServiceLabels?: readonly string[];
}

/** Go's zero time: what Alertmanager and Grafana send as `endsAt` when no end is known. */
const isZeroTime = (value: string | undefined) => !value || value.startsWith('0001-01-01');

/**
 * One event per alert. The id is built from the fingerprint, the start of this firing episode and the
 * status, all stable across re-sends of the group, so Alertmanager repeating a notification every
 * `repeat_interval` changes nothing, while a new episode of the same alert is a new event. An alert that
 * cannot be mapped is kept aside alone; the others of its group are published.
 */
export function mapAlertGroup(group: AlertGroup, tool: AlertSource, options: MappingOptions): MappedEvents {
  const drafts: EventDraft[] = [];
  const aside: KeptAside[] = [];
  group.alerts.forEach((raw, index) => {
    const at = `alerts.${index}`;
    const parsed = parsePayload(alertSchema, raw);
    const draft = 'errors' in parsed ? prefixed(at, parsed.errors) : draftFor(parsed.value, group, at, tool, options);
    if (Array.isArray(draft)) aside.push(keptAside(at, draft));
    else drafts.push(draft);
  });
  return validateDrafts(drafts, aside);
}

const prefixed = (at: string, errors: ValidationIssue[]): ValidationIssue[] => errors.map((issue) => ({ ...issue, path: joinPath(at, issue.path) }));

/** SERVICE_LABELS (`service` first), then the tool's fallbacks; aliases and normalisation apply to the name found. */
function serviceOf(labels: Record<string, string>, tool: AlertSource, options: MappingOptions): { service: string; label?: string } {
  for (const label of [...serviceLabelOrder(options), ...(tool.fallbackServiceLabels ?? [])]) {
    const service = resolveService(labels[label], options);
    if (service) return { service, label };
  }
  return { service: UNKNOWN_SERVICE };
}

function draftFor(alert: Alert, group: AlertGroup, at: string, tool: AlertSource, options: MappingOptions): EventDraft | ValidationIssue[] {
  // A relay that drops an alert's status: a group that is resolved has only resolved alerts.
  const status = alert.status ?? (group.status === 'resolved' ? 'resolved' : 'firing');
  const resolved = status === 'resolved';
  if (resolved && isZeroTime(alert.endsAt)) return [{ path: `${at}.endsAt`, message: 'a resolved alert needs its end time' }];
  const alertName = alert.labels.alertname ?? group.commonLabels?.alertname;
  const { service, label } = serviceOf(alert.labels, tool, options);
  const fingerprint = alert.fingerprint ?? labelsFingerprint(alert.labels);
  const id = `${tool.idPrefix}-${fingerprint}-${Date.parse(alert.startsAt)}-${status}`;
  const incidentKey = alert.labels.incident_key || alert.annotations.incident_key || undefined;
  const common = { id, source: tool.source, service, incidentKey, correlationKeys: correlationKeys(groupKeyCorrelation(group.groupKey)) };
  const origin = compact({
    id: `${at}.fingerprint`,
    service: label ? `${at}.labels.${label}` : undefined,
    incidentKey: `${at}.${alert.labels.incident_key ? 'labels' : 'annotations'}.incident_key`,
    correlationKeys: 'groupKey',
    occurredAt: `${at}.${resolved ? 'endsAt' : 'startsAt'}`,
    'data.alertName': `${at}.labels.alertname`,
    'data.labels': `${at}.labels`,
    'data.summary': `${at}.annotations`,
  }) as Record<string, string>;
  if (resolved) {
    const data = compact({ alertName, fingerprint });
    return { at, origin, envelope: compact({ ...common, type: 'alert.resolved', occurredAt: alert.endsAt, data }) };
  }
  const data = compact({
    alertName,
    severity: alert.labels.severity,
    summary: alert.annotations.summary ?? alert.annotations.description ?? alert.annotations.message,
    fingerprint,
    labels: alert.labels,
  });
  return { at, origin, envelope: compact({ ...common, type: 'alert.triggered', occurredAt: alert.startsAt, data }) };
}
