import type { CorrelationSettings } from './settings.js';

/**
 * What correlation knows of a stored incident, without its events (TrackedIncident.snapshot): enough to place
 * events that all come after its latest one exactly as correlating the whole log would. Plain JSON, stored
 * with the incident.
 */
export interface CorrelationSnapshot {
  version: 1;
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
