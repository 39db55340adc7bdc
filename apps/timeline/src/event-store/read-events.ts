import type { EntityManager } from 'typeorm';
import type { IncidentEvent } from '@app/domain';

/**
 * Stored events still waiting for an incident: those with one of these keys, and those of these
 * services at or after `notBefore` (no window changed by this batch opens earlier than that).
 */
export async function loadUnattached(manager: EntityManager, services: string[], keys: string[], notBefore: string): Promise<IncidentEvent[]> {
  if (services.length === 0 && keys.length === 0) return [];
  const rows: { payload: IncidentEvent }[] = await manager.query(
    `SELECT payload FROM events WHERE incident_id IS NULL AND service = ANY($1::text[]) AND occurred_at >= $3
     UNION ALL
     SELECT payload FROM events WHERE incident_id IS NULL AND incident_key = ANY($2::text[]) AND NOT (service = ANY($1::text[]) AND occurred_at >= $3)
     UNION ALL
     SELECT payload FROM events WHERE incident_id IS NULL AND payload->'correlationKeys' ?| $2::text[] AND NOT (service = ANY($1::text[]) AND occurred_at >= $3)`,
    [services, keys, notBefore],
  );
  return rows.map((row) => row.payload);
}

/** The stored events of each incident, for re-projection. */
export async function loadIncidentsEvents(manager: EntityManager, incidentIds: string[]): Promise<Map<string, IncidentEvent[]>> {
  const byIncident = new Map<string, IncidentEvent[]>(incidentIds.map((id) => [id, []]));
  if (incidentIds.length === 0) return byIncident;
  const rows: { incident_id: string; payload: IncidentEvent }[] = await manager.query(
    'SELECT incident_id, payload FROM events WHERE incident_id = ANY($1::text[])',
    [incidentIds],
  );
  for (const row of rows) byIncident.get(row.incident_id)!.push(row.payload);
  return byIncident;
}
