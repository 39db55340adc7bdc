import type { EntityManager } from 'typeorm';
import {
  continueCorrelation,
  correlationKeysOf,
  evolveAll,
  isCorrection,
  project,
  servicesOfGroup,
  storableInstant,
  windowGroupOf,
  type CorrelationSettings,
  type CorrelationSnapshot,
  type IncidentEvent,
  type IncidentState,
} from '@app/domain';
import { insertEvents, type FreshEvent } from '../event-store/append-events.js';
import { linkKeys, loadIncidentsByKeys, loadIncidentsInRanges, saveIncidents } from '../incidents/incident-store.js';
import { enqueueTimeline } from '../outbox/enqueue-timeline.js';
import type { BatchReport } from './batch-report.js';
import { serviceRanges } from './correlation-context.js';
import { bridgeGaps, InstantIntervals } from './instant-intervals.js';

type Continued = Extract<ReturnType<typeof continueCorrelation>, { ok: true }>;

interface StoredIncident {
  id: string;
  snapshot: CorrelationSnapshot;
}

/**
 * The usual batch: events that come after everything stored of the incidents and services they reach (an
 * alert storm's next minute, a person's next note). Correlated from the snapshots of those incidents and
 * folded onto their stored states (continueCorrelation, evolveAll), so its work does not grow with their
 * size. Null when the batch is not such a batch, or the store holds something the snapshots cannot answer
 * for (an older event of those services, an unattached event the batch would pull in, a retraction or merge
 * waiting for it): nothing is written, and the caller correlates from the events.
 */
export async function continueFromSnapshots(manager: EntityManager, fresh: FreshEvent[], settings: CorrelationSettings): Promise<Pick<BatchReport, 'attached' | 'opened'> | null> {
  const events = fresh.map((item) => item.event);
  // continueCorrelation refuses them too; asked first, it costs no look-up.
  if (events.some(isCorrection)) return null;
  const stored = await loadReachedIncidents(manager, events, settings);
  if (stored === null) return null;
  const continued = continueCorrelation(stored, events, settings);
  if (!continued.ok) return null;
  if (!(await storeAgrees(manager, stored.map((incident) => incident.id), continued, events, settings))) return null;

  const placement = new Map<string, string | null>(events.map((event) => [event.id, null]));
  for (const incident of continued.incidents) for (const event of incident.events) placement.set(event.id, incident.id);
  await insertEvents(manager, fresh, placement);
  // Read only now: a batch that goes the long way has not paid for the states.
  const storedStates = await loadStates(manager, continued.incidents.filter((incident) => incident.stored).map((incident) => incident.id));
  const states = continued.incidents.map((incident) => {
    const state = storedStates.get(incident.id);
    // Every event of the batch comes after those the stored state folded: folding on is projecting the whole set.
    return state ? evolveAll(state, incident.events) : project(incident.id, incident.events);
  });
  await saveIncidents(manager, states, new Map(continued.incidents.map((incident) => [incident.id, incident.snapshot])));
  await linkKeys(manager, continued.incidents.map((incident) => ({ id: incident.id, startedAt: new Date(incident.firstAtMs).toISOString(), keys: incident.keys })));
  await enqueueTimeline(manager, new Map(continued.incidents.map((incident) => [incident.id, incident.events])));
  return {
    attached: continued.incidents.reduce((sum, incident) => sum + incident.events.length, 0),
    opened: continued.incidents.filter((incident) => !incident.stored).length,
  };
}

/** The incidents the batch's instants and keys reach, with their snapshots; null when one has none. */
async function loadReachedIncidents(manager: EntityManager, events: IncidentEvent[], settings: CorrelationSettings): Promise<StoredIncident[] | null> {
  // Per window group (an incident of any service of the group may cover these events), the instants kept
  // apart as the correlation context keeps them: a current event and a ten-day-old one are two look-ups.
  const instants = new Map<string, InstantIntervals>();
  for (const event of events) {
    const group = windowGroupOf(event.service, settings);
    if (group === null) continue;
    const at = Date.parse(event.occurredAt);
    if (!instants.has(group)) instants.set(group, new InstantIntervals());
    instants.get(group)!.add(at, at);
  }
  const bridgeMs = settings.idleMinutes * 60_000;
  const ranges = serviceRanges([...instants].map(([group, intervals]) => [group, bridgeGaps(intervals.intervals(), bridgeMs)] as const), settings);
  const keys = [...new Set(events.flatMap((event) => correlationKeysOf(event, settings)))];
  const ids = [...new Set([...(await loadIncidentsInRanges(manager, ranges, settings.marginMinutes, settings.idleMinutes)), ...(await loadIncidentsByKeys(manager, keys))])];
  if (ids.length === 0) return [];
  const rows: { id: string; correlation: CorrelationSnapshot | null }[] = await manager.query('SELECT id, correlation FROM incidents WHERE id = ANY($1::text[])', [ids]);
  if (rows.length !== ids.length || rows.some((row) => row.correlation === null)) return null;
  return rows.map((row) => ({ id: row.id, snapshot: row.correlation! }));
}

async function loadStates(manager: EntityManager, ids: string[]): Promise<Map<string, IncidentState>> {
  if (ids.length === 0) return new Map();
  const rows: { id: string; state: IncidentState }[] = await manager.query('SELECT id, state FROM incidents WHERE id = ANY($1::text[])', [ids]);
  return new Map(rows.map((row) => [row.id, row.state]));
}

/**
 * What the snapshots cannot tell, asked of the store (continueCorrelation says why each matters): no stored
 * incident but the reached ones with an event at or after the batch's first and one of a service whose
 * windows the batch read (one without a snapshot may have any); no unattached event (but
 * waiting retractions) in a resulting window; no stored event carrying a key the batch linked (unattached,
 * or through the keys of incidents); no retraction waiting for a batch event; no merge waiting for a key
 * the batch linked.
 */
async function storeAgrees(manager: EntityManager, reached: readonly string[], continued: Continued, events: readonly IncidentEvent[], settings: CorrelationSettings): Promise<boolean> {
  const windows = serviceRanges(
    continued.incidents.flatMap((incident) => incident.windows.map(({ group, fromMs, toMs }) => [group, [{ fromMs, toMs }]] as const)),
    settings,
  );
  const linked = [...new Set(continued.incidents.flatMap((incident) => (incident.stored ? incident.linked : [incident.id, ...incident.linked])))];
  const [{ conflict }]: { conflict: boolean }[] = await manager.query(
    `SELECT
       EXISTS (SELECT 1 FROM events e JOIN incidents y ON y.id = e.incident_id
               WHERE e.occurred_at >= $1 AND e.incident_id <> ALL($2::text[]) AND (y.correlation IS NULL OR (y.correlation->'services') ?| $6::text[]))
       OR EXISTS (SELECT 1 FROM jsonb_to_recordset($3::jsonb) AS w (service text, "from" timestamptz, "to" timestamptz)
               CROSS JOIN LATERAL (SELECT 1 FROM events WHERE incident_id IS NULL AND service = w.service
                 AND occurred_at BETWEEN w."from" AND w."to" AND type <> 'event.retracted' LIMIT 1) e)
       OR EXISTS (SELECT 1 FROM events WHERE incident_id IS NULL AND incident_key = ANY($4::text[]))
       OR EXISTS (SELECT 1 FROM events WHERE incident_id IS NULL AND payload->'correlationKeys' ?| $4::text[])
       OR EXISTS (SELECT 1 FROM incident_keys WHERE key = ANY($4::text[]))
       OR EXISTS (SELECT 1 FROM events WHERE type = 'event.retracted' AND (payload->'data'->>'eventId') = ANY($5::text[]) AND incident_id IS NULL)
       OR EXISTS (SELECT 1 FROM pending_merges WHERE into_ref = ANY($4::text[])) AS conflict`,
    [storableInstant(continued.freshFromMs), reached, JSON.stringify(windows), linked, events.map((event) => event.id), continued.groups.flatMap((group) => servicesOfGroup(group, settings))],
  );
  return !conflict;
}
