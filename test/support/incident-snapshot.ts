/**
 * Everything a reader can learn about one incident, from the timeline and the renderer: its state, its
 * event log, the keys linked to it (and the incidents that are its aliases), the renderer's copy and
 * keys, its summary, the RCA for a fixed prepared-on date and every stored draft version. Two snapshots
 * compare with toEqual: a suite takes one before it sends what must leave the incident alone and one
 * after, each once the pipeline has settled (so the renderer's last word is in).
 */
export interface IncidentSnapshot {
  state: unknown;
  events: unknown[];
  keys: unknown[];
  aliases: unknown[];
  rendererCopy: unknown[];
  summary: unknown;
  rca: string;
  versions: unknown;
  drafts: string[];
}

type Sql = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

async function read(url: string, as: 'json' | 'text' = 'json'): Promise<any> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${text.slice(0, 300)}`);
  return as === 'json' ? JSON.parse(text) : text;
}

export async function incidentSnapshot(services: { timeline: string; renderer: string }, sql: Sql, ref: string, preparedOn = '2025-04-06'): Promise<IncidentSnapshot> {
  const path = `/v1/incidents/${encodeURIComponent(ref)}`;
  const state = await read(`${services.timeline}${path}`);
  const events: unknown[] = [];
  let cursor: string | null = null;
  do {
    const page: { events: unknown[]; nextCursor: string | null } = await read(`${services.timeline}${path}/events${cursor ? `?cursor=${cursor}` : ''}`);
    events.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor);
  const versions: { versions: { version: number }[] } = await read(`${services.renderer}${path}/rca/versions`);
  const drafts: string[] = [];
  for (const { version } of versions.versions) drafts.push(await read(`${services.renderer}${path}/rca/versions/${version}.md`, 'text'));
  return {
    state,
    events,
    keys: await sql('SELECT key, incident_id FROM incident_keys WHERE incident_id = $1 ORDER BY key', [state.id]),
    aliases: await sql('SELECT id, merged_into FROM incidents WHERE merged_into = $1 ORDER BY id', [state.id]),
    rendererCopy: await sql('SELECT id, keys, state FROM renderer_incidents WHERE id = $1', [state.id]),
    summary: await read(`${services.renderer}${path}/summary`),
    rca: await read(`${services.renderer}${path}/rca.md?preparedOn=${preparedOn}`, 'text'),
    versions,
    drafts,
  };
}
