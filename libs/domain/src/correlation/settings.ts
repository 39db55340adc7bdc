import type { IncidentEvent } from '../events/envelope.js';
import { UNKNOWN_SERVICE } from '../events/primitives.js';

/** What a team can tune about correlation (README, configuration; docs/correlation.md). */
export interface CorrelationSettings {
  /** Minutes before an incident's first event that its window opens (CORRELATION_MARGIN_MINUTES). */
  marginMinutes: number;
  /** An unresolved incident's window closes this long after its latest event (CORRELATION_IDLE_MINUTES). */
  idleMinutes: number;
  /** Alert label names: alerts with equal values of all of them share the key `labels:<name>=<value>,...`. */
  groupLabels: readonly string[];
  /** service -> group: services of one group share time windows (CORRELATION_SERVICE_GROUPS). */
  serviceGroups: ReadonlyMap<string, string>;
}

export const DEFAULT_CORRELATION_MARGIN_MINUTES = 30;
export const DEFAULT_CORRELATION_IDLE_MINUTES = 240;

export const DEFAULT_CORRELATION_SETTINGS: CorrelationSettings = {
  marginMinutes: DEFAULT_CORRELATION_MARGIN_MINUTES,
  idleMinutes: DEFAULT_CORRELATION_IDLE_MINUTES,
  groupLabels: [],
  serviceGroups: new Map(),
};

export function correlationSettings(partial: Partial<CorrelationSettings> = {}): CorrelationSettings {
  return { ...DEFAULT_CORRELATION_SETTINGS, ...partial };
}


/** The time windows a service's events share: its group's, else its own; null for `unknown` (no windows). */
export function windowGroupOf(service: string, settings: CorrelationSettings): string | null {
  if (service === UNKNOWN_SERVICE) return null;
  const group = settings.serviceGroups.get(service);
  return group === undefined ? `service:${service}` : `group:${group}`;
}

/** The services sharing a window group (for look-ups by service). */
export function servicesOfGroup(group: string, settings: CorrelationSettings): string[] {
  if (group.startsWith('service:')) return [group.slice('service:'.length)];
  const name = group.slice('group:'.length);
  return [...settings.serviceGroups].filter(([, g]) => g === name).map(([service]) => service);
}

/**
 * Reads `group=svc,svc;group=svc,...` into service -> group. Throws naming what is wrong: an entry without
 * `=`, an empty name, or a service in two groups.
 */
export function parseServiceGroups(spec: string): Map<string, string> {
  const groups = new Map<string, string>();
  for (const entry of spec.split(';').map((part) => part.trim()).filter(Boolean)) {
    const at = entry.indexOf('=');
    const group = entry.slice(0, at).trim();
    const services = entry.slice(at + 1).split(',').map((service) => service.trim()).filter(Boolean);
    if (at <= 0 || group === '' || services.length === 0) throw new Error(`"${entry}" is not group=service,service`);
    for (const service of services) {
      const other = groups.get(service);
      if (other !== undefined && other !== group) throw new Error(`service "${service}" is in two groups, "${other}" and "${group}"`);
      groups.set(service, group);
    }
  }
  return groups;
}

/**
 * Label names as Prometheus and Grafana write them (letters, digits, `_`; a leading digit refused). Anything
 * else is a typo of the list (`a;b` meant as two names) and would never match an alert's labels.
 */
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads a comma-separated list of label names. Throws naming a name that cannot be one. */
export function parseGroupLabels(spec: string): string[] {
  const names = spec.split(',').map((name) => name.trim()).filter(Boolean);
  const wrong = names.find((name) => !LABEL_NAME.test(name));
  if (wrong !== undefined) throw new Error(`"${wrong}" is not a label name (letters, digits and _, separated by commas)`);
  return names;
}

/**
 * Every key that identifies an event's incident (rule 1): its incidentKey, its correlationKeys and, with
 * CORRELATION_GROUP_LABELS, `labels:<name>=<value>,...` for an alert carrying all the named labels.
 */
export function correlationKeysOf(event: IncidentEvent, settings: CorrelationSettings): string[] {
  const keys: string[] = [];
  if (event.incidentKey) keys.push(event.incidentKey);
  for (const key of event.correlationKeys ?? []) if (!keys.includes(key)) keys.push(key);
  const labelsKey = labelsKeyOf(event, settings.groupLabels);
  if (labelsKey && !keys.includes(labelsKey)) keys.push(labelsKey);
  return keys;
}

function labelsKeyOf(event: IncidentEvent, names: readonly string[]): string | null {
  if (names.length === 0 || event.type !== 'alert.triggered') return null;
  const labels = event.data.labels ?? {};
  const parts: string[] = [];
  for (const name of names) {
    const value = labels[name];
    if (value === undefined || value === '') return null;
    parts.push(`${name}=${value}`);
  }
  return `labels:${parts.join(',')}`;
}
