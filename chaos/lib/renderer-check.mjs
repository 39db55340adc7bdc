// The renderer after the faults: its copy of every incident must have converged on the timeline's (the same
// events, following merges; the same state), and the newest draft of every resolved incident must read as the
// RCA of the timeline's final state.
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './util.mjs';

export const RENDERER_DATABASE = 'aftermath_renderer';

// The related-incidents link names the previous incident as the renderer knew it when it drafted: kept from the
// draft, it is the one input of a draft that the final state does not give.
const PREVIOUS_LINK = /\[\[(\d{4}-\d{2}-\d{2})-([^|\]]*)\|Previous [^\]]*incident\]\]/;

function relatedOf(markdown, date) {
  const match = PREVIOUS_LINK.exec(markdown);
  // `<the incident's date>-previous-incident` is the placeholder of a draft that knew of no previous incident.
  if (!match || (match[2] === 'previous-incident' && match[1] === date)) return undefined;
  return { previous: { date: match[1], slug: match[2] } };
}

export async function compareRenderer(postgres, partition) {
  const domain = await import(pathToFileURL(join(root, 'libs/domain/dist/index.js')).href);
  const { renderRca } = await import(pathToFileURL(join(root, 'apps/renderer/dist/rendering/index.js')).href);
  const query = (sql) => postgres.query(sql, [], RENDERER_DATABASE);
  const aliases = new Map((await query('SELECT from_id, into_id FROM renderer_incident_aliases')).map((row) => [row.from_id, row.into_id]));
  const answering = (id) => {
    for (let hops = 0; aliases.has(id) && hops < 100; hops += 1) id = aliases.get(id);
    return id;
  };
  const copies = new Map((await query('SELECT event_id, incident_id FROM renderer_events')).map((row) => [row.event_id, answering(row.incident_id)]));
  const states = new Map((await query('SELECT id, state FROM renderer_incidents')).filter((row) => !aliases.has(row.id)).map((row) => [row.id, row.state]));
  const drafts = new Map(
    (await query(`SELECT DISTINCT ON (incident_id) incident_id, version, to_char(prepared_on, 'YYYY-MM-DD') AS prepared_on, markdown FROM rca_drafts ORDER BY incident_id, version DESC`)).map(
      (row) => [row.incident_id, row],
    ),
  );

  const eventsDiffer = [];
  for (const id of new Set([...copies.keys(), ...[...partition.incidentOf].filter(([, incident]) => incident !== null).map(([id]) => id)])) {
    const timeline = partition.incidentOf.get(id) ?? null;
    const renderer = copies.get(id) ?? null;
    if (timeline !== renderer) eventsDiffer.push({ id, timeline, renderer });
  }
  const statesDiffer = [...partition.states.keys()].filter((id) => !isDeepStrictEqual(states.get(id), partition.states.get(id)));
  const missingDrafts = [];
  const staleDrafts = [];
  let resolved = 0;
  for (const [id, state] of partition.states) {
    if (state.open) continue;
    resolved += 1;
    const draft = drafts.get(id);
    if (!draft) {
      missingDrafts.push(id);
      continue;
    }
    const view = domain.buildRcaView(state, { preparedOn: draft.prepared_on, related: relatedOf(draft.markdown, domain.incidentDate(state)) });
    if (renderRca(view) !== draft.markdown) staleDrafts.push({ id, version: draft.version });
  }
  return {
    incidents: states.size,
    events: copies.size,
    resolved,
    eventsDiffer: eventsDiffer.length,
    statesDiffer: statesDiffer.length,
    missingDrafts: missingDrafts.length,
    staleDrafts: staleDrafts.length,
    examples: { events: eventsDiffer.slice(0, 5), states: statesDiffer.slice(0, 3), missingDrafts: missingDrafts.slice(0, 3), staleDrafts: staleDrafts.slice(0, 3) },
  };
}
