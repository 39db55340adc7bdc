import type { FirstOccurrenceKey, IncidentState, Milestone, TimePoint } from './state.js';

/**
 * EVENTS.md's milestone table: each milestone is the first occurrence of its primary source,
 * else of its fallback. Order here is the table order, used to break ties at the same minute.
 */
export const MILESTONE_DEFINITIONS = [
  { name: 'Monitoring alert triggered', sources: ['alert.triggered'] },
  { name: 'On-call engineer paged', sources: ['page.sent'] },
  { name: 'Initial investigation started', sources: ['status:investigating', 'page.acknowledged'] },
  { name: 'Root cause identified', sources: ['status:identified', 'root_cause.identified'] },
  { name: 'Mitigation applied', sources: ['status:mitigated', 'mitigation.applied'] },
  { name: 'Service recovery observed', sources: ['status:monitoring'] },
  { name: 'Incident resolved', sources: ['status:resolved'] },
] as const satisfies readonly { name: string; sources: readonly FirstOccurrenceKey[] }[];

export type MilestoneName = (typeof MILESTONE_DEFINITIONS)[number]['name'];
export const MILESTONE_NAMES: readonly MilestoneName[] = MILESTONE_DEFINITIONS.map((m) => m.name);

/** The first available source of a preference list. */
export function firstOf(
  firsts: IncidentState['firstOccurrences'],
  sources: readonly FirstOccurrenceKey[],
): TimePoint | null {
  for (const source of sources) {
    const found = firsts[source];
    if (found) return found;
  }
  return null;
}

/**
 * Recorded milestones in time order (table order on ties). With `beforeRetractions` (the first
 * occurrences as they stood before any retraction), a milestone that moved says where it stood.
 */
export function deriveMilestones(firsts: IncidentState['firstOccurrences'], beforeRetractions?: IncidentState['firstOccurrences']): Milestone[] {
  const recorded = MILESTONE_DEFINITIONS.flatMap((definition, rank) => {
    const point = firstOf(firsts, definition.sources);
    if (!point) return [];
    const was = beforeRetractions ? firstOf(beforeRetractions, definition.sources) : null;
    const milestone: Milestone = was && was.eventId !== point.eventId ? { name: definition.name, ...point, correctedFrom: was } : { name: definition.name, ...point };
    return [{ milestone, rank }];
  });
  recorded.sort((a, b) => Date.parse(a.milestone.at) - Date.parse(b.milestone.at) || a.rank - b.rank);
  return recorded.map((entry) => entry.milestone);
}
