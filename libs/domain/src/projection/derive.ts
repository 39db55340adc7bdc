import { withResolution } from './alert-resolution.js';
import { firstOccurrencesBeforeRetractions } from './corrections.js';
import { deriveMilestones, firstOf } from './milestones.js';
import type { IncidentDurations, IncidentState, IncidentTimes, TimePoint } from './state.js';

const MINUTE_MS = 60_000;

/**
 * Whole minutes between two points, floored (15:28 -> 17:47 is 139). A negative span
 * (e.g. acknowledged before the first alert arrived) is clamped to 0 rather than shown as
 * a negative duration.
 */
export function wholeMinutesBetween(from: TimePoint | null, to: TimePoint | null): number | null {
  if (!from || !to) return null;
  return Math.max(0, Math.floor((Date.parse(to.at) - Date.parse(from.at)) / MINUTE_MS));
}

function firstEvent(state: IncidentState): TimePoint | null {
  return state.firstEventAt && state.firstEventId ? { at: state.firstEventAt, eventId: state.firstEventId } : null;
}

/** Detection: the first alert, else the first event that reports the incident (EVENTS.md, impact.started). */
export function detectionOf(state: IncidentState, times: IncidentTimes): TimePoint | null {
  return times.detectedAt ?? state.firstReport;
}

function deriveTimes(state: IncidentState): IncidentTimes {
  const firsts = state.firstOccurrences;
  const detectedAt = firsts['alert.triggered'] ?? null;
  return {
    impactStartedAt: state.impactStarted,
    startedAt: detectedAt ?? firstEvent(state),
    detectedAt,
    acknowledgedAt: firstOf(firsts, ['page.acknowledged', 'status:investigating']),
    mitigatedAt: firstOf(firsts, ['status:mitigated', 'mitigation.applied']),
    // resolvedAt is kept by evolve: it depends on the status history, not on a first occurrence.
    resolvedAt: state.times.resolvedAt,
  };
}

function deriveDurations(state: IncidentState, times: IncidentTimes): IncidentDurations {
  const duration = wholeMinutesBetween(times.startedAt, times.resolvedAt);
  return {
    durationMinutes: duration,
    // From the stated impact start, never from the first event: an alert that opened the incident is not 0 minutes to detect.
    timeToDetectMinutes: wholeMinutesBetween(times.impactStartedAt, detectionOf(state, times)),
    timeToAcknowledgeMinutes: wholeMinutesBetween(times.startedAt, times.acknowledgedAt),
    timeToMitigateMinutes: wholeMinutesBetween(times.startedAt, times.mitigatedAt),
    timeToResolveMinutes: duration,
  };
}

/** Recomputes the derived fields (milestones, times, durations) from the recorded facts. */
export function withDerivedFields(facts: IncidentState): IncidentState {
  const state = withResolution(facts);
  const times = deriveTimes(state);
  return {
    ...state,
    milestones: deriveMilestones(state.firstOccurrences, state.retractions.length > 0 ? firstOccurrencesBeforeRetractions(state) : undefined),
    times,
    durations: deriveDurations(state, times),
  };
}
