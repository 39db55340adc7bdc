import { STORM_SERVICE_GROUPS, stormEvents } from '../../../test/support/fixtures.js';
import { parseEvent, type IncidentEvent } from '../src/events/index.js';
import { correlateLog, type CorrelateOptions } from '../src/correlation/correlate-log.js';
import { incidentIdFor } from '../src/correlation/incident-id.js';
import { correlationSettings, parseServiceGroups } from '../src/correlation/settings.js';
import { incidentFiguresOf } from '../src/analytics/incident-analytics.js';
import { project } from '../src/projection/project.js';
import { comparePartitions } from '../src/correlation-replay/compare-partitions.js';
import { replayReport } from '../src/correlation-replay/replay-report.js';
import type { StoredPlacement } from '../src/correlation/plan-correlation.js';

/** The database outage storm (test/fixtures/database-outage-storm.ndjson) as validated events. */
export const storm = (): IncidentEvent[] =>
  stormEvents().map((envelope) => {
    const parsed = parseEvent(envelope);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return parsed.event;
  });

export const stormGroups = () => parseServiceGroups(STORM_SERVICE_GROUPS);

/** The incident an alert of the storm opens on its own. */
export const opened = (alertId: string) => incidentIdFor({ id: alertId });

/** Where correlation under `options` places each event: a store that correlated the log so. */
export function placements(events: readonly IncidentEvent[], options: CorrelateOptions = {}): StoredPlacement[] {
  const log = correlateLog(events, options);
  return [
    ...log.incidents.flatMap((incident) => incident.events.map((event) => ({ event, incidentId: incident.id }))),
    ...log.unattached.map((event) => ({ event, incidentId: null })),
  ];
}

/**
 * The report of replaying `events` stored under `stored` with `replayed`, every figure projected from the
 * events (as the timeline stores them and as a replay projects the incidents it changes).
 */
export function reportOf(events: readonly IncidentEvent[], stored: CorrelateOptions, replayed: CorrelateOptions) {
  const log = correlateLog(events, stored);
  const comparison = comparePartitions(placements(events, stored), replayed);
  const figures = (incidents: readonly { id: string; events: IncidentEvent[] }[]) =>
    new Map(incidents.map((incident) => [incident.id, incidentFiguresOf(project(incident.id, incident.events))!]));
  const byId = new Map(events.map((event) => [event.id, event]));
  return replayReport({
    comparison,
    settings: correlationSettings(replayed),
    storedFigures: figures(log.incidents),
    replayedFigures: figures(comparison.changed.map(({ id, eventIds }) => ({ id, events: eventIds.map((eventId) => byId.get(eventId)!) }))),
  });
}
