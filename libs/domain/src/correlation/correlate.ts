import type { IncidentEvent } from '../events/envelope.js';
import { absorbEvent, incidentOpenedBy } from './absorb-event.js';
import { type CorrelationIndex, withIndexedIncident } from './index-model.js';
import { matchByKey, matchByWindow, opensIncident } from './rules.js';

export interface CorrelationOptions {
  /** Minutes before an incident's first event that its window starts (EVENTS.md default 30). */
  marginMinutes: number;
  /** Id of an incident opened by `event`; injected so the core stays deterministic. */
  newIncidentId: (event: IncidentEvent) => string;
}

/** linkKey: the event's incidentKey, newly linked to the incident by this decision. */
export type CorrelationDecision =
  | { kind: 'attach'; incidentId: string; rule: 'key' | 'window'; linkKey?: string }
  | { kind: 'open'; incidentId: string; linkKey?: string }
  | { kind: 'unattached' };

export interface CorrelationResult {
  decision: CorrelationDecision;
  index: CorrelationIndex;
}

type Attachment = Extract<CorrelationDecision, { kind: 'attach' }>;

/** Rules 1 and 2 only: where an existing incident takes the event, or null. */
export function matchExisting(index: CorrelationIndex, event: IncidentEvent, marginMinutes: number): Attachment | null {
  const byKey = matchByKey(index, event);
  if (byKey) return { kind: 'attach', incidentId: byKey, rule: 'key' };
  const byWindow = matchByWindow(index, event, marginMinutes * 60_000);
  if (!byWindow) return null;
  return event.incidentKey ? { kind: 'attach', incidentId: byWindow, rule: 'window', linkKey: event.incidentKey } : { kind: 'attach', incidentId: byWindow, rule: 'window' };
}

/** Records an event in the index entry of the incident it joined. */
export function attachToIndex(index: CorrelationIndex, incidentId: string, event: IncidentEvent): CorrelationIndex {
  const incident = index.incidents.get(incidentId);
  if (!incident) throw new Error(`correlation index has no incident ${incidentId}`);
  return withIndexedIncident(index, absorbEvent(incident, event));
}

/** Decides which incident an event belongs to (EVENTS.md rules 1-4) and returns the updated index. */
export function correlate(index: CorrelationIndex, event: IncidentEvent, options: CorrelationOptions): CorrelationResult {
  const match = matchExisting(index, event, options.marginMinutes);
  if (match) return { decision: match, index: attachToIndex(index, match.incidentId, event) };
  if (!opensIncident(event)) return { decision: { kind: 'unattached' }, index };
  const incidentId = options.newIncidentId(event);
  if (index.incidents.has(incidentId)) throw new Error(`newIncidentId returned the existing incident id ${incidentId}`);
  const decision: CorrelationDecision = event.incidentKey
    ? { kind: 'open', incidentId, linkKey: event.incidentKey }
    : { kind: 'open', incidentId };
  return { decision, index: withIndexedIncident(index, incidentOpenedBy(incidentId, event)) };
}
