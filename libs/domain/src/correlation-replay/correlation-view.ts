import type { IncidentEvent } from '../events/envelope.js';
import type { CorrelationSettings } from '../correlation/settings.js';

/**
 * What correlation reads of an event's `data`, by type (correlation-run.ts, tracked-incident.ts, settings.ts):
 * alerts are told apart by fingerprint or name, a person's status ends a window, a retraction names its
 * event, a merge its target. Alert labels are read only for CORRELATION_GROUP_LABELS, and only the named ones.
 * A replay of a large stored log keeps this much of each event in memory, not the payloads.
 */
export const CORRELATION_DATA_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'alert.triggered': ['alertName', 'fingerprint'],
  'alert.resolved': ['alertName', 'fingerprint'],
  'status.changed': ['status'],
  'event.retracted': ['eventId'],
  'incident.merged': ['into'],
};

/** The label names whose values correlation reads under `settings` (alert.triggered only). */
export const correlationLabelsOf = (type: string, settings: Pick<CorrelationSettings, 'groupLabels'>): readonly string[] =>
  type === 'alert.triggered' ? settings.groupLabels : [];

/**
 * The part of an event correlation reads under `settings`: correlating these views gives the partition of
 * correlating the events (correlation-view.spec.ts). Not a valid envelope (source and most data are gone):
 * for correlation only, never to project or store.
 */
export function correlationView(event: IncidentEvent, settings: Pick<CorrelationSettings, 'groupLabels'>): IncidentEvent {
  const source = event.data as Record<string, unknown>;
  const data: Record<string, unknown> = {};
  for (const field of CORRELATION_DATA_FIELDS[event.type] ?? []) if (source[field] !== undefined) data[field] = source[field];
  const names = correlationLabelsOf(event.type, settings);
  const labels = source.labels as Record<string, string> | undefined;
  if (names.length > 0 && labels) {
    const kept: Record<string, string> = {};
    for (const name of names) if (labels[name] !== undefined) kept[name] = labels[name];
    data.labels = kept;
  }
  const view: Record<string, unknown> = { id: event.id, type: event.type, occurredAt: event.occurredAt, service: event.service, data };
  if (event.incidentKey !== undefined) view.incidentKey = event.incidentKey;
  if (event.correlationKeys !== undefined) view.correlationKeys = event.correlationKeys;
  return view as IncidentEvent;
}
