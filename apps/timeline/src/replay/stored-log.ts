import pg from 'pg';
import { CORRELATION_DATA_FIELDS, type CorrelationSettings, type IncidentEvent, type StoredPlacement } from '@app/domain';

/** Which stored events a replay reads: the incidents starting in [from, to) and the unattached events in it. */
export interface ReplayRange {
  /** Instants (ISO); null: unbounded. */
  from: string | null;
  to: string | null;
}

const ROWS_PER_FETCH = 10_000;

/**
 * correlationView (libs/domain) in SQL: PostgreSQL takes apart the stored payloads and sends only what
 * correlation reads, so a replay holds about a tenth of each event (a million stored events fit in the
 * memory docs/benchmarks.md gives). The view of a payload here equals correlationView of it
 * (replay.int-spec.ts compares them).
 */
function correlationDataSql(): string {
  const field = (name: string) => `${pg.escapeLiteral(name)}, payload->'data'->${pg.escapeLiteral(name)}`;
  const cases = Object.entries(CORRELATION_DATA_FIELDS).map(([type, fields]) => {
    const labels =
      type === 'alert.triggered'
        ? `, 'labels', CASE WHEN cardinality($3::text[]) > 0 AND payload->'data' ? 'labels' THEN COALESCE((SELECT jsonb_object_agg(name, payload->'data'->'labels'->name)
             FROM unnest($3::text[]) AS name WHERE payload->'data'->'labels' ? name), '{}'::jsonb) END`
        : '';
    return `WHEN ${pg.escapeLiteral(type)} THEN jsonb_strip_nulls(jsonb_build_object(${fields.map(field).join(', ')}${labels}))`;
  });
  return `CASE type ${cases.join(' ')} ELSE '{}'::jsonb END`;
}

interface ViewRow {
  event_id: string;
  incident_id: string | null;
  type: string;
  service: string;
  incident_key: string | null;
  occurred_at: string;
  /** JSON text: parsed once per distinct value (see `shared`). */
  correlation_keys: string | null;
  data: string;
}

/**
 * The stored events of `range`, each as correlation sees it (correlationView under `settings`) with the
 * incident it is stored in, read through a cursor in chunks. Run it inside a transaction (a cursor lives in
 * one); the replay's is read-only and sees one snapshot.
 */
export async function readStoredViews(client: pg.ClientBase, settings: Pick<CorrelationSettings, 'groupLabels'>, range: ReplayRange): Promise<StoredPlacement[]> {
  // Types, services, incidents, keys, instants and most views' data repeat across a log: one copy of each
  // instead of one per event, which is most of what a million views weigh. Correlation never changes an event.
  const interned = new Map<string, string>();
  const intern = (text: string) => {
    const known = interned.get(text);
    if (known !== undefined) return known;
    interned.set(text, text);
    return text;
  };
  const parsed = new Map<string, unknown>();
  const shared = <T>(json: string): T => {
    if (!parsed.has(json)) parsed.set(json, JSON.parse(json));
    return parsed.get(json) as T;
  };
  await client.query(
    `DECLARE stored_views NO SCROLL CURSOR FOR
     SELECT event_id, incident_id, type, service, incident_key, payload->>'occurredAt' AS occurred_at,
            (payload->'correlationKeys')::text AS correlation_keys, (${correlationDataSql()})::text AS data
     FROM events
     WHERE ($1::timestamptz IS NULL AND $2::timestamptz IS NULL)
        OR incident_id IN (SELECT id FROM incidents WHERE merged_into IS NULL
             AND ($1::timestamptz IS NULL OR first_event_at >= $1) AND ($2::timestamptz IS NULL OR first_event_at < $2))
        OR (incident_id IS NULL AND ($1::timestamptz IS NULL OR occurred_at >= $1) AND ($2::timestamptz IS NULL OR occurred_at < $2))
     -- Event-time order, as correlation takes them: PostgreSQL sorts a million rows in about a second, the
     -- correlation's own sort then finds them in order (it still decides: "C" byte order may differ from
     -- JavaScript's code-unit order for a few characters, and an order that differs only costs time).
     ORDER BY occurred_at, event_id COLLATE "C"`,
    [range.from, range.to, [...settings.groupLabels]],
  );
  const placements: StoredPlacement[] = [];
  for (;;) {
    const { rows } = await client.query<ViewRow>(`FETCH ${ROWS_PER_FETCH} FROM stored_views`);
    for (const row of rows) {
      // Every field in the literal, absent ones undefined: an object of one shape, without a second allocation for the fields added later.
      const event = {
        id: row.event_id,
        type: intern(row.type),
        occurredAt: intern(row.occurred_at),
        service: intern(row.service),
        incidentKey: row.incident_key === null ? undefined : intern(row.incident_key),
        correlationKeys: row.correlation_keys === null ? undefined : shared<string[]>(row.correlation_keys),
        data: shared(row.data),
      } as IncidentEvent;
      placements.push({ event, incidentId: row.incident_id === null ? null : intern(row.incident_id) });
    }
    if (rows.length < ROWS_PER_FETCH) break;
  }
  await client.query('CLOSE stored_views');
  return placements;
}
