import type { IncidentEvent } from '../events/envelope.js';
import { correlateLog, type CorrelatedIncident, type CorrelatedLog, type CorrelateOptions } from './correlate-log.js';

/** A stored event and the incident it is stored in (null: unattached). */
export interface StoredPlacement {
  event: IncidentEvent;
  incidentId: string | null;
}

export interface CorrelationPlan {
  /** The context (stored and fresh events) correlated. */
  log: CorrelatedLog;
  /** Incidents whose set of events is not the stored one (new ones included): to project and save. */
  changed: CorrelatedIncident[];
  /** Where each fresh event goes (null: unattached). */
  freshPlacement: Map<string, string | null>;
  /** Stored events that move: [event id, new incident id or null]. */
  moves: [string, string | null][];
  /** Stored events that no incident holds any more, each with the incident that held it: the renderer is told. */
  detached: { eventId: string; from: string }[];
  /** Events new to each incident (fresh or moved), in event-time order: what the outbox publishes. */
  added: Map<string, IncidentEvent[]>;
  /** Stored incidents that no longer exist, each with the incident that holds its opening event now. */
  retired: { id: string; successor: string | null }[];
  /** Incidents that were not stored. */
  opened: string[];
  /** Incidents an incident.merged merged away that were never stored: saved as aliases of their target. */
  mergedAway: { id: string; into: string; events: IncidentEvent[] }[];
}

/**
 * The pipeline's correlation of a batch: correlates the stored context with the fresh events as one set
 * (correlateLog, exactly what the CLI and a rebuild do), then says what differs from the stored placement.
 * When a late event joins two incidents, the one that started first keeps its id and the other retires
 * into it (its id stays readable as an alias); when it splits one, the part it opens gets its own incident.
 * Pure.
 */
export function planCorrelation(stored: readonly StoredPlacement[], fresh: readonly IncidentEvent[], options: CorrelateOptions = {}): CorrelationPlan {
  const storedIn = new Map(stored.map((placement) => [placement.event.id, placement.incidentId]));
  const log = correlateLog([...stored.map((placement) => placement.event), ...fresh], options);
  const now = new Map<string, string | null>();
  for (const incident of log.incidents) for (const event of incident.events) now.set(event.id, incident.id);
  for (const event of log.unattached) now.set(event.id, null);

  const storedIncidents = new Set([...storedIn.values()].filter((id): id is string => id !== null));
  const freshPlacement = new Map<string, string | null>();
  const moves: [string, string | null][] = [];
  const detached: { eventId: string; from: string }[] = [];
  const added = new Map<string, IncidentEvent[]>();
  const changedIds = new Set<string>();
  for (const event of [...stored.map((placement) => placement.event), ...fresh]) {
    const target = now.get(event.id) ?? null;
    const isStored = storedIn.has(event.id);
    const before = isStored ? storedIn.get(event.id)! : null;
    if (!isStored) freshPlacement.set(event.id, target);
    else if (before === target) continue;
    else moves.push([event.id, target]);
    if (before !== null) changedIds.add(before);
    if (isStored && before !== null && target === null) detached.push({ eventId: event.id, from: before });
    if (target !== null) {
      changedIds.add(target);
      const list = added.get(target);
      if (list) list.push(event);
      else added.set(target, [event]);
    }
  }
  const current = new Map(log.incidents.map((incident) => [incident.id, incident]));
  for (const [id, events] of added) {
    const news = new Set(events);
    added.set(id, current.get(id)!.events.filter((event) => news.has(event)));
  }
  const mergedAway = log.merged.filter((merge) => !storedIncidents.has(merge.id));
  // Looked up once per retired incident: maps, not scans (a rebuild may retire thousands over a million events).
  const byAlias = new Map<string, string>();
  for (const incident of log.incidents) for (const alias of incident.aliases) if (!byAlias.has(alias)) byAlias.set(alias, incident.id);
  const firstTarget = new Map<string, string>();
  for (const placement of stored) {
    const target = placement.incidentId === null ? null : now.get(placement.event.id);
    if (placement.incidentId !== null && target && !firstTarget.has(placement.incidentId)) firstTarget.set(placement.incidentId, target);
  }
  /** The incident that now holds the event a retired incident was named after, else one of its events. */
  const successorOf = (id: string): string | null => byAlias.get(id) ?? firstTarget.get(id) ?? null;
  const retired = [
    ...[...storedIncidents].filter((id) => !current.has(id)).map((id) => ({ id, successor: log.aliases.get(id) ?? successorOf(id) })),
    ...mergedAway.map((merge) => ({ id: merge.id, successor: merge.into })),
  ];
  return {
    log,
    changed: log.incidents.filter((incident) => changedIds.has(incident.id)),
    freshPlacement,
    moves,
    detached,
    added,
    retired,
    opened: log.incidents.filter((incident) => !storedIncidents.has(incident.id)).map((incident) => incident.id),
    mergedAway,
  };
}
