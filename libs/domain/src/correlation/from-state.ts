import type { IncidentStatusValue } from '../events/primitives.js';
import type { IncidentState } from '../projection/state.js';
import type { IndexedIncident } from './index-model.js';

/**
 * The index entry of a projected incident, to seed the index from stored states. The
 * projection is authoritative (it saw every event in order), so re-seeding after a batch
 * corrects anything the incremental index update could not know.
 */
export function indexEntryFromState(state: IncidentState): IndexedIncident | null {
  if (!state.firstEventAt || !state.firstEventId || !state.primaryService) return null;
  const lastStatus =
    state.statusChange && state.status !== 'triggered'
      ? { atMs: Date.parse(state.statusChange.at), eventId: state.statusChange.eventId, status: state.status as IncidentStatusValue }
      : null;
  return {
    id: state.id,
    service: state.primaryService,
    firstEventAtMs: Date.parse(state.firstEventAt),
    firstEventId: state.firstEventId,
    resolvedAtMs: state.open || !state.times.resolvedAt ? null : Date.parse(state.times.resolvedAt.at),
    lastStatus,
    keys: [...state.keys],
  };
}
