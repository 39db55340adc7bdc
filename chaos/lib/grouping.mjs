// Which incident each stored event is in, against (a) the generator's own index of which incident it meant
// each event for, and (b) a fresh correlation of the whole stored log by the domain's rules (correlateLog and
// project, as the CLI runs them): the live pipeline must place every event and project every incident as a
// rebuild from the log alone would, whatever the arrival order, the faults and the re-deliveries were.
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './util.mjs';

/**
 * The stored partition: event id -> the incident answering for it (following merges), or null when
 * unattached; every stored payload; and the state of each incident not merged away.
 */
export async function loadPartition(postgres) {
  const incidents = await postgres.query('SELECT id, merged_into, state FROM incidents');
  const mergedInto = new Map(incidents.map((row) => [row.id, row.merged_into]));
  const answering = (id) => {
    for (let hops = 0; mergedInto.get(id) && hops < 100; hops += 1) id = mergedInto.get(id);
    return id;
  };
  const rows = await postgres.query('SELECT event_id, incident_id, payload FROM events');
  const incidentOf = new Map(rows.map((row) => [row.event_id, row.incident_id === null ? null : answering(row.incident_id)]));
  const states = new Map(incidents.filter((row) => row.merged_into === null).map((row) => [row.id, row.state]));
  return { incidentOf, payloads: rows.map((row) => row.payload), states, answering };
}

/**
 * `expected`: event id -> generator incident index (absent: meant to stay unattached); `mergedInto`: index
 * -> index. An expected incident is split when its events lie in several stored incidents; a stored incident
 * is merged when it holds events of several expected ones; an event is misplaced when it is not where the
 * bulk of its expected incident is (or attached when it should wait, or waiting when it should be attached).
 */
export function compareWithGenerator({ partition, expected, mergedInto, eventIds }) {
  const target = (index) => {
    while (mergedInto.has(index)) index = mergedInto.get(index);
    return index;
  };
  const byExpected = new Map();
  for (const id of eventIds) {
    if (!partition.incidentOf.has(id)) continue; // not stored: counted as lost elsewhere
    const want = expected.has(id) ? target(expected.get(id)) : null;
    const got = partition.incidentOf.get(id);
    if (!byExpected.has(want)) byExpected.set(want, new Map());
    const places = byExpected.get(want);
    places.set(got, [...(places.get(got) ?? []), id]);
  }
  const home = new Map();
  const holders = new Map();
  let split = 0;
  for (const [want, places] of byExpected) {
    if (want === null) continue;
    const attached = [...places].filter(([got]) => got !== null).sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1));
    home.set(want, attached[0]?.[0] ?? null);
    if (attached.length > 1) split += 1;
    for (const [got] of attached) holders.set(got, [...(holders.get(got) ?? []), want]);
  }
  const merged = [...holders].filter(([, wants]) => wants.length > 1);
  const misplaced = [];
  for (const [want, places] of byExpected) {
    for (const [got, ids] of places) if (got !== (want === null ? null : home.get(want))) misplaced.push(...ids.map((id) => ({ id, expectedIncident: want, storedIn: got })));
  }
  return {
    expected: [...byExpected.keys()].filter((want) => want !== null).length,
    stored: partition.states.size,
    split,
    merged: merged.length,
    misplaced: misplaced.length,
    examples: { misplaced: misplaced.slice(0, 5), merged: merged.slice(0, 3).map(([id, wants]) => ({ storedIncident: id, expectedIncidents: wants })) },
  };
}

/**
 * The stored partition and states against the rules run afresh over the stored log: every event in the
 * incident (id included) the rules give, and each incident's stored state equal to project(id, its events).
 */
export async function compareWithFreshCorrelation(partition) {
  const { correlateLog, project } = await import(pathToFileURL(join(root, 'libs/domain/dist/index.js')).href);
  const t0 = performance.now();
  const fresh = correlateLog(partition.payloads);
  const freshOf = new Map();
  const states = new Map();
  for (const incident of fresh.incidents) {
    for (const event of incident.events) freshOf.set(event.id, incident.id);
    // Stored states went through JSON: so does this one (undefined fields drop out).
    states.set(incident.id, JSON.parse(JSON.stringify(project(incident.id, incident.events))));
  }
  const placedDifferently = [];
  for (const [id, stored] of partition.incidentOf) {
    const rebuilt = freshOf.get(id) ?? null;
    if (rebuilt !== stored) placedDifferently.push({ id, stored, rebuilt });
  }
  const statesDiffer = [];
  for (const id of new Set([...states.keys(), ...partition.states.keys()])) {
    if (!isDeepStrictEqual(partition.states.get(id), states.get(id))) statesDiffer.push(id);
  }
  return {
    incidents: fresh.incidents.length,
    unattached: fresh.unattached.length,
    placedDifferently: placedDifferently.length,
    statesDiffer: statesDiffer.length,
    ms: Math.round(performance.now() - t0),
    examples: {
      placed: placedDifferently.slice(0, 5),
      states: statesDiffer.slice(0, 2).map((id) => ({ id, stored: partition.states.get(id) ?? null, rebuilt: states.get(id) ?? null })),
    },
  };
}
