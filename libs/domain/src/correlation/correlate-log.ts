import type { IncidentEvent } from '../events/envelope.js';
import { orderEvents, orderEventsTimed } from '../events/ordering.js';
import { mergeIncidentsOf } from './corrections.js';
import { CorrelationRun } from './correlation-run.js';
import type { TrackedIncident } from './tracked-incident.js';
import { incidentIdFor } from './incident-id.js';
import { settingsKeyOf, type CorrelationSnapshot } from './correlation-snapshot.js';
import { correlationSettings, type CorrelationSettings } from './settings.js';

export interface CorrelatedIncident {
  id: string;
  /** In event-time order. */
  events: IncidentEvent[];
  /** Its explicit keys (incidentKey, correlationKeys, label keys). */
  keys: string[];
  /** The ids it would carry had another of its opening events come first: it answers to them too. */
  aliases: string[];
  /** Service of its first event. */
  service: string;
  /** Its first event's time, and where its window ends (resolution, else latest event plus the idle time). */
  firstAtMs: number;
  windowEndMs: number;
  /** What a later batch needs to continue from it without its events; null for an incident a merge made. */
  snapshot: CorrelationSnapshot | null;
}

export interface CorrelatedLog {
  /** Ordered by first event. */
  incidents: CorrelatedIncident[];
  unattached: IncidentEvent[];
  /** Incidents merged away (`incident.merged`) -> the incident that answers for them. */
  aliases: Map<string, string>;
  /** The incidents merged away, with the events they held before the merge (their state as an alias). */
  merged: { id: string; into: string; events: IncidentEvent[] }[];
}

export interface CorrelateOptions extends Partial<CorrelationSettings> {
  /** Names incidents; the one policy (incidentIdFor) unless a test injects another. */
  newIncidentId?: (event: IncidentEvent) => string;
}

/**
 * The partition of a set of events into incidents (EVENTS.md rules 1-4, taken in event-time order):
 * the one correlation the pipeline (through planCorrelation), a rebuild, the replay and the CLI run.
 * Duplicates are dropped; the arrival order of `events` does not matter.
 */
export function correlateLog(events: readonly IncidentEvent[], options: CorrelateOptions = {}): CorrelatedLog {
  const { newIncidentId = incidentIdFor, ...settings } = options;
  const ordered = orderEventsTimed(events);
  const retracted = new Set<string>();
  for (const event of ordered.events) if (event.type === 'event.retracted') retracted.add(event.data.eventId);
  const resolved = correlationSettings(settings);
  const run = new CorrelationRun(resolved, newIncidentId, retracted);
  const settingsKey = settingsKeyOf(resolved);
  ordered.events.forEach((event, i) => run.add(event, ordered.atMs[i]));
  // Merges last, in event-time order (corrections.ts): the merged incident's events and keys go to the target.
  const hasMerges = ordered.events.some((event) => event.type === 'incident.merged');
  const { members, aliases } = hasMerges
    ? mergeIncidentsOf(new Map([...run.incidents].map(([id, incident]) => [id, incident.events])), (key) => run.incidentOfKey(key))
    : { members: null, aliases: new Map<string, string>() };
  // Each incident's events in event-time order; they mostly are already.
  const eventsOf = (incident: TrackedIncident) =>
    members ? orderEvents(members.get(incident.id) ?? []) : incident.inOrder ? incident.events : orderEvents(incident.events);
  const mergedInto = (id: string) => [...aliases].filter(([, into]) => into === id).map(([from]) => run.incidents.get(from)!);
  const incidents = [...run.incidents.values()]
    .filter((incident) => !aliases.has(incident.id))
    .sort((a, b) => (a.startedBefore(b) ? -1 : 1))
    .map((incident) => {
      const all = aliases.size === 0 ? [incident] : [incident, ...mergedInto(incident.id)];
      return {
        id: incident.id,
        events: eventsOf(incident),
        keys: all.length === 1 ? [...incident.keys] : [...new Set(all.flatMap((one) => one.keys))],
        aliases: all.flatMap((one) => one.aliases),
        service: incident.service,
        firstAtMs: incident.first.atMs,
        windowEndMs: incident.endMs,
        // A merge applies to the whole log (corrections.ts): one that holds or received a merge is not continued.
        snapshot: all.length === 1 && !(hasMerges && incident.events.some((event) => event.type === 'incident.merged')) ? incident.snapshot(settingsKey) : null,
      };
    });
  const merged = [...aliases].map(([id, into]) => ({ id, into, events: orderEvents(run.incidents.get(id)!.events) }));
  return { incidents, unattached: run.unattached(), aliases, merged };
}
