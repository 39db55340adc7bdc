import type { CorrelationSettings } from './settings.js';

/**
 * What correlation knows of a stored incident, without its events (TrackedIncident.snapshot): enough to place
 * events that all come after its latest one exactly as correlating the whole log would. Plain JSON, stored
 * with the incident.
 */
/** Bumped whenever what a snapshot means changes: older ones are not continued. */
export const CORRELATION_SNAPSHOT_VERSION = 1;

export interface CorrelationSnapshot {
  version: typeof CORRELATION_SNAPSHOT_VERSION;
  /** The settings it was correlated under (settingsKeyOf): under others it says nothing. */
  settingsKey: string;
  first: { atMs: number; id: string; service: string };
  latest: { atMs: number; id: string };
  /** Its explicit keys, first linked first. */
  keys: string[];
  /** The services of its events, sorted: its window may have been any of their groups'. */
  services: string[];
  /** Its last person's status, or the first of its last run of `resolved` statuses. */
  statusTail: { atMs: number; id: string; status: string } | null;
  declared: boolean;
  sawAlert: boolean;
  /** The alerts (alertIdentity) whose latest event is alert.triggered, sorted. */
  firing: string[];
  latestAlertAtMs: number | null;
}

/** The settings that shape a correlation, as one string: snapshots taken under other settings are not used. */
export function settingsKeyOf(settings: CorrelationSettings): string {
  const groups = [...settings.serviceGroups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([settings.marginMinutes, settings.idleMinutes, settings.groupLabels, groups]);
}
