import { parseEvent, project, type IncidentEvent } from '@app/domain';
import { waitFor } from '../../../test/support/environment.js';
import { rendererAlone } from './support/renderer-alone.js';

/*
 * An alert storm reaches the renderer as batches of newer events of one incident: each is folded onto the
 * incident's stored state (from="state") instead of re-projecting its every event. Whatever path a batch
 * takes, the stored state must be `project` over the incident's events; a batch the fold cannot answer for
 * (an older event, an event a stored retraction names, a copy moved between incidents) takes the events path.
 */

const renderer = rendererAlone('rd_fold');
const { topics, database } = renderer;

type Sent = { incidentId: string; event: Record<string, unknown>; sequence: number; mergedFrom?: string };
let sequence = 0;
let published = 0;
const sentTo = new Map<string, Map<string, Record<string, unknown>>>();

const at = (second: number) => new Date(Date.UTC(2025, 5, 3, 9, 0, second)).toISOString();
const alert = (id: string, second: number, name: string) => ({ id, type: 'alert.triggered', occurredAt: at(second), source: 'prometheus', service: 'fold', data: { alertName: name, severity: 'critical' } });
const resolved = (id: string, second: number, name: string) => ({ id, type: 'alert.resolved', occurredAt: at(second), source: 'prometheus', service: 'fold', data: { alertName: name } });
const note = (id: string, second: number) => ({ id, type: 'note.added', occurredAt: at(second), source: 'api', service: 'fold', data: { text: `note ${id}` } });
const retraction = (id: string, second: number, target: string) => ({ id, type: 'event.retracted', occurredAt: at(second), source: 'api', service: 'fold', data: { eventId: target, reason: 'sent by mistake' } });

/** One producer request (one partition, so one batch once the renderer is idle); resolves once the renderer stored it. */
async function publish(placements: [incidentId: string, event: Record<string, unknown>, mergedFrom?: string][]): Promise<void> {
  const messages = placements.map(([incidentId, event, mergedFrom]): Sent => ({ incidentId, event, sequence: (sequence += 1), ...(mergedFrom ? { mergedFrom } : {}) }));
  for (const { incidentId, event } of messages) {
    for (const events of sentTo.values()) events.delete(event.id as string);
    sentTo.set(incidentId, (sentTo.get(incidentId) ?? new Map()).set(event.id as string, event));
  }
  await renderer.producer.send({
    topic: topics.timeline,
    acks: -1,
    messages: messages.map(({ event, ...placement }) => ({ key: 'fold', value: JSON.stringify({ ...event, ...placement }) })),
  });
  published += messages.length;
  await waitFor(async () => ((await metric('aftermath_renderer_events_total')) === published ? true : null), `${published} events stored`);
}

/** A counter's value; `label` (e.g. from="state") picks one series (each also carries service="renderer"). */
async function metric(name: string, label = ''): Promise<number> {
  const text = await (await fetch(`${renderer.stack.renderer}/metrics`)).text();
  const line = text.split('\n').find((row) => (row.startsWith(`${name}{`) || row.startsWith(`${name} `)) && row.includes(label));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

const projections = async () => ({
  state: await metric('aftermath_renderer_projections_total', 'from="state"'),
  events: await metric('aftermath_renderer_projections_total', 'from="events"'),
});

/** What each path taken since `before` counted. */
const since = async (before: { state: number; events: number }) => {
  const now = await projections();
  return { state: now.state - before.state, events: now.events - before.events };
};

async function expectStateIsProjectionOfSent(incidentId: string): Promise<void> {
  const [row] = await database.sql<{ state: unknown }>('SELECT state FROM renderer_incidents WHERE id = $1', [incidentId]);
  const events = [...sentTo.get(incidentId)!.values()].map((event) => {
    const parsed = parseEvent(event);
    if (!parsed.ok) throw new Error(`test event ${String(event.id)} does not parse`);
    return parsed.event;
  });
  expect(row?.state).toEqual(JSON.parse(JSON.stringify(project(incidentId, events as IncidentEvent[]))));
}

test('batches of newer events are folded onto the stored state, which stays the projection of all the events', async () => {
  const before = await projections();
  // A storm: alerts firing and resolving across batches, notes beside them. Each batch's first event shares
  // the instant of the previous batch's last one with a larger id: the canonical order's tie-break.
  let second = 0;
  for (let batch = 0; batch < 5; batch += 1) {
    const events = [];
    for (let i = 0; i < 12; i += 1) {
      const id = `storm-${batch}-${String(i).padStart(2, '0')}`;
      if (i > 0) second += 1;
      events.push(i % 4 === 3 ? resolved(id, second, `alert-${(batch * 12 + i - 3) % 7}`) : i % 4 === 1 ? note(id, second) : alert(id, second, `alert-${(batch * 12 + i) % 7}`));
    }
    await publish(events.map((event) => ['inc-storm', event]));
  }
  // The first batch had no stored state to fold onto; every later one folded.
  expect(await since(before)).toEqual({ state: 4, events: 1 });
  await expectStateIsProjectionOfSent('inc-storm');
}, 60_000);

test('an event older than what the stored state folded is projected from all the events', async () => {
  await publish([['inc-late', alert('late-1', 10, 'x')], ['inc-late', note('late-2', 20)]]);
  const before = await projections();
  await publish([['inc-late', note('late-3', 15)], ['inc-late', note('late-4', 30)]]);
  expect(await since(before)).toEqual({ state: 0, events: 1 });
  await expectStateIsProjectionOfSent('inc-late');
}, 60_000);

test('an event named by a retraction stored before it is projected from all the events, and left out', async () => {
  await publish([['inc-retract', alert('rt-1', 10, 'y')], ['inc-retract', retraction('rt-2', 20, 'rt-4')]]);
  await publish([['inc-retract', note('rt-3', 30)]]);
  const before = await projections();
  // rt-4 sorts after everything folded, but the retraction stored already takes it out.
  await publish([['inc-retract', alert('rt-4', 40, 'z')]]);
  expect(await since(before)).toEqual({ state: 0, events: 1 });
  await expectStateIsProjectionOfSent('inc-retract');
  const [row] = await database.sql<{ count: number }>(`SELECT (state->>'eventCount')::int AS count FROM renderer_incidents WHERE id = 'inc-retract'`);
  expect(row?.count).toBe(3);
}, 60_000);

test('incidents a copy moves between are projected from all their events, a newer event of the one it left too', async () => {
  await publish([['inc-from', alert('mv-1', 10, 'a')], ['inc-from', note('mv-2', 20)], ['inc-into', alert('mv-3', 5, 'b')]]);
  const before = await projections();
  // mv-2 moves to inc-into; inc-from gains a newer event in the same batch, which alone could have been folded.
  await publish([['inc-into', note('mv-2', 20)], ['inc-from', note('mv-4', 30)]]);
  expect(await since(before)).toEqual({ state: 0, events: 2 });
  await expectStateIsProjectionOfSent('inc-from');
  await expectStateIsProjectionOfSent('inc-into');
}, 60_000);

test('a merged incident that holds events again is projected from them, not folded onto the state it had before the merge', async () => {
  await publish([['inc-m1', note('mg-1', 10)], ['inc-m1', note('mg-2', 20)], ['inc-m2', alert('mg-3', 5, 'c')]]);
  // The timeline announces the merge on a moved event, then places the other anew under the target.
  await publish([['inc-m2', note('mg-1', 10), 'inc-m1'], ['inc-m2', note('mg-2', 20)]]);
  const before = await projections();
  // A newer placement under inc-m1 (a split gave its id back): its alias is over, its stored row still tells of mg-1 and mg-2.
  await publish([['inc-m1', note('mg-4', 30)]]);
  expect(await since(before)).toEqual({ state: 0, events: 1 });
  await expectStateIsProjectionOfSent('inc-m1');
  await expectStateIsProjectionOfSent('inc-m2');
}, 60_000);
