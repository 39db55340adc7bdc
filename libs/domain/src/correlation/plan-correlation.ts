import type { IncidentEvent } from '../events/envelope.js';
import { orderEvents } from '../events/ordering.js';
import type { IncidentState } from '../projection/state.js';
import { correlateEach, type CorrelationOptions } from './correlate.js';
import { indexEntryFromState } from './from-state.js';
import { placeRetractions } from './corrections.js';
import { buildCorrelationIndex, type CorrelationIndex, type IndexedIncident } from './index-model.js';
import { reattach } from './reattach.js';

export interface CorrelationPlan {
  /** Newly attached events by incident, fresh and formerly unattached alike, in the order they were placed. */
  attachments: Map<string, IncidentEvent[]>;
  opened: Set<string>;
  /** Fresh events no incident takes yet (rule 4). */
  unattached: IncidentEvent[];
  /** The known incidents with every attachment of the plan. */
  index: CorrelationIndex;
}

/**
 * Where events go (EVENTS.md rules 1-4), the one correlation both the pipeline and the CLI run: places the
 * fresh events in event-time order (rules 1-3) against the known incidents, then offers every unattached
 * event, stored or fresh, to the incidents again (rule 4). A retraction goes to the incident of the event it
 * names: one placed by this plan, or a stored one in `storedPlacements` (event id -> incident id). Pure.
 */
export function planCorrelation(
  known: Iterable<IncidentState>,
  fresh: readonly IncidentEvent[],
  storedUnattached: readonly IncidentEvent[],
  options: CorrelationOptions,
  storedPlacements: ReadonlyMap<string, string> = new Map(),
): CorrelationPlan {
  const entries = [...known].map(indexEntryFromState).filter((entry): entry is IndexedIncident => entry !== null);
  const attachments = new Map<string, IncidentEvent[]>();
  const opened = new Set<string>();
  const attach = (incidentId: string, event: IncidentEvent) => {
    const list = attachments.get(incidentId);
    if (list) list.push(event);
    else attachments.set(incidentId, [event]);
  };
  const freshUnattached: IncidentEvent[] = [];
  const placed = correlateEach(buildCorrelationIndex(entries), orderEvents(fresh), options);
  for (const { event, decision } of placed.decisions) {
    if (decision.kind === 'unattached') freshUnattached.push(event);
    else {
      if (decision.kind === 'open') opened.add(decision.incidentId);
      attach(decision.incidentId, event);
    }
  }
  const again = reattach(placed.index, [...storedUnattached, ...freshUnattached], options);
  for (const { event, incidentId } of again.attached) attach(incidentId, event);
  const placedHere = new Map<string, string>();
  for (const [incidentId, events] of attachments) for (const event of events) placedHere.set(event.id, incidentId);
  const retractions = placeRetractions(again.unattached, (eventId) => placedHere.get(eventId) ?? storedPlacements.get(eventId));
  for (const { event, incidentId } of retractions.placed) attach(incidentId, event);
  const freshIds = new Set(fresh.map((event) => event.id));
  return { attachments, opened, unattached: retractions.unplaced.filter((event) => freshIds.has(event.id)), index: again.index };
}
