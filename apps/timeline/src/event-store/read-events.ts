import type { EntityManager } from 'typeorm';
import type { IncidentEvent, StoredPlacement } from '@app/domain';

/** A stretch of time of some services: what correlation of a batch may reach. */
export interface ServiceRange {
  service: string;
  from: string;
  to: string;
}

/** Every stored event of these incidents, with its incident. */
export async function loadIncidentsEvents(manager: EntityManager, incidentIds: string[]): Promise<StoredPlacement[]> {
  if (incidentIds.length === 0) return [];
  const rows: { incident_id: string; payload: IncidentEvent }[] = await manager.query(
    'SELECT incident_id, payload FROM events WHERE incident_id = ANY($1::text[])',
    [incidentIds],
  );
  return rows.map((row) => ({ event: row.payload, incidentId: row.incident_id }));
}

/** Stored events waiting for an incident: of these services within the ranges, or carrying one of these keys. */
export async function loadUnattached(manager: EntityManager, ranges: ServiceRange[], keys: string[]): Promise<IncidentEvent[]> {
  if (ranges.length === 0 && keys.length === 0) return [];
  const rows: { payload: IncidentEvent }[] = await manager.query(
    `SELECT e.payload FROM jsonb_to_recordset($1::jsonb) AS r (service text, "from" timestamptz, "to" timestamptz)
       CROSS JOIN LATERAL (SELECT payload FROM events
         WHERE incident_id IS NULL AND service = r.service AND occurred_at BETWEEN r."from" AND r."to") e
     UNION ALL
     SELECT payload FROM events WHERE incident_id IS NULL AND incident_key = ANY($2::text[])
     UNION ALL
     SELECT payload FROM events WHERE incident_id IS NULL AND payload->'correlationKeys' ?| $2::text[]`,
    [JSON.stringify(ranges), keys],
  );
  return rows.map((row) => row.payload);
}
