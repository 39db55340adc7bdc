import type { IncidentEvent } from '../events/envelope.js';
import { absorbEvent, incidentOpenedBy } from './absorb-event.js';
import { type CorrelationIndex, putIncident, type WorkingIndex, workingCopy } from './index-model.js';
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
  const next = workingCopy(index);
  recordAttachment(next, incidentId, event);
  return next;
}

/** Decides which incident an event belongs to (EVENTS.md rules 1-4) and returns the updated index. */
export function correlate(index: CorrelationIndex, event: IncidentEvent, options: CorrelationOptions): CorrelationResult {
  const { decisions, index: next } = correlateEach(index, [event], options);
  return { decision: decisions[0]!.decision, index: next };
}

export interface EachCorrelationResult {
  /** One per event, in the order given. */
  decisions: { event: IncidentEvent; decision: CorrelationDecision }[];
  index: CorrelationIndex;
}

/**
 * `correlate` for a sequence of events (give them in event-time order), each seeing the
 * decisions before it. The input index is not changed; the work is done on one private copy.
 */
export function correlateEach(index: CorrelationIndex, events: readonly IncidentEvent[], options: CorrelationOptions): EachCorrelationResult {
  const working = workingCopy(index);
  const decisions = events.map((event) => ({ event, decision: decideAndRecord(working, event, options) }));
  return { decisions, index: working };
}

function decideAndRecord(index: WorkingIndex, event: IncidentEvent, options: CorrelationOptions): CorrelationDecision {
  const match = matchExisting(index, event, options.marginMinutes);
  if (match) {
    recordAttachment(index, match.incidentId, event);
    return match;
  }
  if (!opensIncident(event)) return { kind: 'unattached' };
  const incidentId = options.newIncidentId(event);
  if (index.incidents.has(incidentId)) throw new Error(`newIncidentId returned the existing incident id ${incidentId}`);
  putIncident(index, incidentOpenedBy(incidentId, event));
  return event.incidentKey ? { kind: 'open', incidentId, linkKey: event.incidentKey } : { kind: 'open', incidentId };
}

/** Records an event in a working index's entry of the incident it joined. */
export function recordAttachment(index: WorkingIndex, incidentId: string, event: IncidentEvent): void {
  const incident = index.incidents.get(incidentId);
  if (!incident) throw new Error(`correlation index has no incident ${incidentId}`);
  putIncident(index, absorbEvent(incident, event));
}
