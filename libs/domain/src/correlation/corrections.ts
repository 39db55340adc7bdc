import type { IncidentEvent } from '../events/envelope.js';
import { orderEvents } from '../events/ordering.js';

/*
 * Where corrections belong (EVENTS.md, December additions). A retraction belongs to the incident holding the
 * event it names and waits unattached until that event is placed; a merge makes one incident the alias of
 * another. Pure: the pipeline and the CLI (correlateLog) share them.
 */

/**
 * A retraction or a merge: what changes other events' incidents or counting after the fact, so a batch holding
 * one is never folded onto a stored state or continued from snapshots.
 */
export function isCorrection(event: Pick<IncidentEvent, 'type'>): boolean {
  return event.type === 'event.retracted' || event.type === 'incident.merged';
}

/** Follows merges to the incident that answers for `id` now. */
export function finalIncident(aliases: ReadonlyMap<string, string>, id: string): string {
  let current = id;
  for (let hops = 0; aliases.has(current) && hops <= aliases.size; hops += 1) current = aliases.get(current)!;
  return current;
}

/**
 * Applies the `incident.merged` events of correlated incidents, in event-time order (so the result is the
 * same for any arrival order): each moves every event of its incident into the target, which answers for
 * the merged one from then on. A merge into itself, or whose target is unknown, changes nothing.
 */
export function mergeIncidentsOf(
  members: ReadonlyMap<string, readonly IncidentEvent[]>,
  incidentOfKey: (key: string) => string | null,
): { members: Map<string, IncidentEvent[]>; aliases: Map<string, string> } {
  const merged = new Map([...members].map(([id, events]) => [id, [...events]]));
  const aliases = new Map<string, string>();
  const incidentOfEvent = new Map<string, string>();
  for (const [id, events] of members) for (const event of events) incidentOfEvent.set(event.id, id);
  const merges = orderEvents([...members.values()].flat().filter((event) => event.type === 'incident.merged'));
  for (const merge of merges) {
    const from = finalIncident(aliases, incidentOfEvent.get(merge.id)!);
    const target = merge.type === 'incident.merged' ? incidentOfKey(merge.data.into) : null;
    if (target === null) continue;
    const into = finalIncident(aliases, target);
    if (into === from || !merged.has(into)) continue;
    merged.get(into)!.push(...merged.get(from)!);
    merged.delete(from);
    aliases.set(from, into);
  }
  for (const [from] of aliases) aliases.set(from, finalIncident(aliases, from));
  return { members: merged, aliases };
}

/**
 * Incidents that share a key list each other as possible duplicates (rule 1 over several keys): the state
 * of each lists the others; nothing is merged automatically.
 */
export function possibleDuplicates(incidents: readonly { id: string; keys: readonly string[] }[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const incident of incidents) {
    for (const key of incident.keys) {
      const holders = byKey.get(key);
      if (holders) holders.push(incident.id);
      else byKey.set(key, [incident.id]);
    }
  }
  const result = new Map<string, string[]>(incidents.map((incident) => [incident.id, []]));
  for (const holders of byKey.values()) {
    if (holders.length < 2) continue;
    for (const id of holders) for (const other of holders) if (other !== id && !result.get(id)!.includes(other)) result.get(id)!.push(other);
  }
  for (const list of result.values()) list.sort();
  return result;
}
