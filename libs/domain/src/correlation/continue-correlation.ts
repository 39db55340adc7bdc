import type { IncidentEvent } from '../events/envelope.js';
import { orderEvents, orderEventsTimed } from '../events/ordering.js';
import type { CorrelateOptions } from './correlate-log.js';
import { isCorrection } from './corrections.js';
import { CorrelationRun } from './correlation-run.js';
import { CORRELATION_SNAPSHOT_VERSION, settingsKeyOf, type CorrelationSnapshot } from './correlation-snapshot.js';
import { incidentIdFor } from './incident-id.js';
import { correlationKeysOf, correlationSettings, windowGroupOf } from './settings.js';
import { opensIncident, TrackedIncident } from './tracked-incident.js';

/** A stored incident as a later batch sees it: its id and its correlation snapshot. */
export interface StoredSnapshot {
  id: string;
  snapshot: CorrelationSnapshot;
}

export interface ContinuedIncident {
  id: string;
  /** Stored before (restored from its snapshot), or opened by these events. */
  stored: boolean;
  /** The events it takes, in event-time order. */
  events: IncidentEvent[];
  /** Keys and aliases these events linked to it: a stored event waiting for one of them would join it. */
  linked: string[];
  keys: string[];
  service: string;
  firstAtMs: number;
  windowEndMs: number;
  /**
   * Every window its placements may have read, per window group: while it took these events its first event
   * (so its group) and its end could change, so the groups of all of them, from a margin before its first
   * event to the later of its end and the last event. A stored unattached event in one would have joined.
   */
  windows: { group: string; fromMs: number; toMs: number }[];
  snapshot: CorrelationSnapshot;
}

export type Continuation =
  | {
      ok: true;
      incidents: ContinuedIncident[];
      unattached: IncidentEvent[];
      /** The time of the earliest fresh event. */
      freshFromMs: number;
      /** The window groups these events read or changed: those of their services and of the resulting windows. */
      groups: string[];
    }
  | { ok: false; reason: string };

const INCIDENT_ID = /^inc-[0-9a-f]{16}$/;

/**
 * Correlation of fresh events that all come after the stored incidents they reach, from those incidents'
 * snapshots rather than their events: the placement correlateLog over the whole log gives, when the caller
 * has also checked against the store what a snapshot cannot tell:
 * - no stored incident but those given has an event at or after `freshFromMs` and a service (snapshot
 *   `services`) of one of `groups` (the rules take events in event-time order: such an incident took its
 *   place, or its window, after the fresh events would have);
 * - no stored unattached event (but retractions) in a resulting incident's `windows`, and no stored event
 *   carrying a key a resulting incident `linked`;
 * - no retraction waiting for a fresh event, no merge waiting for a linked key.
 * Refuses (ok: false, with the reason) whatever it cannot continue exactly: the caller correlates from the
 * events. Pure.
 */
export function continueCorrelation(stored: readonly StoredSnapshot[], fresh: readonly IncidentEvent[], options: CorrelateOptions = {}): Continuation {
  const { newIncidentId = incidentIdFor, ...partial } = options;
  const settings = correlationSettings(partial);
  const settingsKey = settingsKeyOf(settings);
  const refused = (reason: string): Continuation => ({ ok: false, reason });
  const older = stored.find((incident) => incident.snapshot.version !== CORRELATION_SNAPSHOT_VERSION);
  if (older) return refused(`incident ${older.id} has a snapshot of another version`);
  const changedSettings = stored.find((incident) => incident.snapshot.settingsKey !== settingsKey);
  if (changedSettings) return refused(`incident ${changedSettings.id} was correlated under other settings`);
  const correction = fresh.find(isCorrection);
  if (correction) return refused(`${correction.id} is a correction (${correction.type})`);
  // Every fresh event after every event of the stored incidents: the run over the whole log would take the
  // fresh events last, so it is the run that left the snapshots, continued.
  const ordered = orderEventsTimed(fresh);
  const latest = stored.reduce<StoredSnapshot | null>((found, incident) => (found === null || isLater(incident.snapshot.latest, found.snapshot.latest) ? incident : found), null);
  if (latest !== null && ordered.events.length > 0 && !isLater({ atMs: ordered.atMs[0]!, id: ordered.events[0]!.id }, latest.snapshot.latest)) {
    return refused(`${ordered.events[0]!.id} is not after the latest event of incident ${latest.id}`);
  }
  const unknownKey = keyCheck(stored, fresh, (event) => correlationKeysOf(event, settings));
  if (unknownKey) return refused(unknownKey);

  const restored = stored.map((incident) => TrackedIncident.restore(incident.id, incident.snapshot, settings.idleMinutes * 60_000));
  const run = CorrelationRun.continuing(settings, newIncidentId, restored);
  ordered.events.forEach((event, i) => run.add(event, ordered.atMs[i]));

  const storedById = new Map(stored.map((incident) => [incident.id, incident.snapshot]));
  const lastAtMs = ordered.atMs.length > 0 ? ordered.atMs[ordered.atMs.length - 1]! : Number.NEGATIVE_INFINITY;
  const marginMs = settings.marginMinutes * 60_000;
  const groupsOf = (services: readonly string[]) => new Set(services.map((service) => windowGroupOf(service, settings)).filter((group) => group !== null));
  const incidents: ContinuedIncident[] = [];
  for (const incident of run.incidents.values()) {
    if (incident.events.length === 0) continue;
    const before = storedById.get(incident.id);
    const keysBefore = new Set(before?.keys);
    const windowGroups = groupsOf([incident.service, ...(before ? [before.first.service] : []), ...incident.events.map((event) => event.service)]);
    incidents.push({
      id: incident.id,
      stored: before !== undefined,
      events: incident.inOrder ? incident.events : orderEvents(incident.events),
      linked: [...incident.keys.filter((key) => !keysBefore.has(key)), ...incident.aliases],
      keys: [...incident.keys],
      service: incident.service,
      firstAtMs: incident.first.atMs,
      windowEndMs: incident.endMs,
      windows: [...windowGroups].map((group) => ({ group, fromMs: incident.first.atMs - marginMs, toMs: Math.max(incident.endMs, lastAtMs) })),
      snapshot: incident.snapshot(settingsKey),
    });
  }
  const groups = groupsOf(fresh.map((event) => event.service));
  for (const incident of incidents) for (const window of incident.windows) groups.add(window.group);
  return { ok: true, incidents, unattached: run.unattached(), groups: [...groups], freshFromMs: ordered.atMs.length > 0 ? ordered.atMs[0]! : Number.POSITIVE_INFINITY };
}

/**
 * A key a snapshot cannot resolve as the whole log would: an incident id that is no stored incident's nor a
 * fresh opening event's (an alias, or a retired or merged id, which the store resolves), or a key several of
 * the stored incidents carry (the log knows which linked it first; a snapshot does not).
 */
function keyCheck(stored: readonly StoredSnapshot[], fresh: readonly IncidentEvent[], keysOf: (event: IncidentEvent) => string[]): string | null {
  const ids = new Set([...stored.map((incident) => incident.id), ...fresh.filter(opensIncident).map(incidentIdFor)]);
  const holders = new Map<string, number>();
  for (const incident of stored) for (const key of new Set([incident.id, ...incident.snapshot.keys])) holders.set(key, (holders.get(key) ?? 0) + 1);
  for (const event of fresh) {
    for (const key of keysOf(event)) {
      if (INCIDENT_ID.test(key) && !ids.has(key)) return `${event.id} names incident ${key}, which is no stored incident's id`;
      if ((holders.get(key) ?? 0) > 1) return `${event.id} carries the key ${key}, which several stored incidents carry`;
    }
  }
  return null;
}

const isLater = (a: { atMs: number; id: string }, b: { atMs: number; id: string }) => (a.atMs !== b.atMs ? a.atMs > b.atMs : a.id > b.id);
