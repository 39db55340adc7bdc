import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { parseEvent, type IncidentEvent } from '@app/domain';
import { testEnvironment } from '../../../test/support/environment.js';
import { openRendererDataSource } from '../src/store/data-source.js';
import { RendererStore, type CorrelatedEvent } from '../src/store/renderer-store.js';

/*
 * The renderer's copies follow the timeline's placements whatever order the messages arrive in. The timeline
 * numbers each placement (`sequence`) and keys its messages by incident, so a late event or a rebuild that moves an
 * event, joins two incidents or splits them again sends messages on different partitions: Kafka keeps each
 * partition's order only. Generated histories of moves, detachments and merges (each merge announced, then its
 * events placed anew, as the timeline does) are delivered in random interleavings and batches through the
 * consumer's two steps; every copy must end where the timeline last placed it, and every incident holding
 * events must answer for itself (an alias of one that holds events again is over).
 */

const environment = testEnvironment('placement_order');
let dataSource: DataSource;
let store: RendererStore;

beforeAll(async () => {
  dataSource = await openRendererDataSource(environment.databaseUrl, 2);
  store = new RendererStore(dataSource);
}, 60_000);

afterAll(async () => {
  await dataSource?.destroy();
  await environment.dropDatabase();
}, 30_000);

const INCIDENTS = ['inc-a', 'inc-b', 'inc-c', 'inc-d'];
const EVENTS = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'];

const eventOf = (id: string): IncidentEvent => {
  const parsed = parseEvent({ id, type: 'note.added', occurredAt: '2026-02-10T10:00:00Z', source: 'test', service: 'orders', data: { text: id } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.event;
};

type Operation = { kind: 'place'; event: string; into: string } | { kind: 'detach'; event: string } | { kind: 'merge'; from: string; into: string; onMoved: boolean };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('place' as const), event: fc.constantFrom(...EVENTS), into: fc.constantFrom(...INCIDENTS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('detach' as const), event: fc.constantFrom(...EVENTS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('merge' as const), from: fc.constantFrom(...INCIDENTS), into: fc.constantFrom(...INCIDENTS), onMoved: fc.boolean() }) },
);

/** The timeline's side: its placements after the operations, and the numbered messages it sent. */
function timeline(operations: Operation[]): { placed: Map<string, string | null>; messages: CorrelatedEvent[] } {
  const placed = new Map<string, string | null>();
  const messages: CorrelatedEvent[] = [];
  let seq = 0;
  const send = (message: Omit<CorrelatedEvent, "sequence">) => messages.push({ ...message, sequence: (seq += 1) });
  for (const op of operations) {
    if (op.kind === 'place') {
      placed.set(op.event, op.into);
      send({ incidentId: op.into, event: eventOf(op.event) });
    } else if (op.kind === 'detach') {
      const from = placed.get(op.event);
      if (!from) continue;
      placed.set(op.event, null);
      send({ incidentId: from, event: eventOf(op.event), detached: true });
    } else {
      const moved = EVENTS.filter((event) => placed.get(event) === op.from);
      const held = EVENTS.filter((event) => placed.get(event) === op.into);
      if (op.from === op.into || moved.length === 0 || held.length === 0) continue;
      for (const event of moved) placed.set(event, op.into);
      // An announcement on an event of the target (mergeIncidents names the first moved one, a late event's
      // retirement any event of the successor), then each moved event placed anew.
      const announced = op.onMoved ? moved[0]! : held[0]!;
      send({ incidentId: op.into, event: eventOf(announced), mergedFrom: op.from });
      for (const event of moved.filter((id) => id !== announced)) send({ incidentId: op.into, event: eventOf(event) });
    }
  }
  return { placed, messages };
}

/** A delivery Kafka allows: each incident's messages in order (one partition each), interleaved at random, in batches. */
const delivery = (messages: CorrelatedEvent[]) =>
  fc.tuple(fc.array(fc.nat(), { minLength: messages.length, maxLength: messages.length }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: messages.length, maxLength: messages.length })).map(([picks, sizes]) => {
    const queues = new Map<string, CorrelatedEvent[]>();
    for (const message of messages) queues.set(message.incidentId, [...(queues.get(message.incidentId) ?? []), message]);
    const order: CorrelatedEvent[] = [];
    for (const pick of picks) {
      const open = [...queues.values()].filter((queue) => queue.length > 0);
      order.push(open[pick % open.length]!.shift()!);
    }
    const batches: CorrelatedEvent[][] = [];
    for (let i = 0, b = 0; i < order.length; i += sizes[b]!, b += 1) batches.push(order.slice(i, i + sizes[b]!));
    return batches;
  });

const history = fc
  .array(operation, { minLength: 1, maxLength: 25 })
  .map(timeline)
  .filter(({ messages }) => messages.length > 0)
  .chain((made) => fc.tuple(fc.constant(made), delivery(made.messages)));

test('every copy ends where the timeline last placed it, in any delivery order; each incident holding events answers for itself', async () => {
  await fc.assert(
    fc.asyncProperty(history, async ([{ placed }, batches]) => {
      await dataSource.query('TRUNCATE renderer_events, renderer_incident_aliases');
      for (const batch of batches) {
        await dataSource.transaction(async (manager) => {
          const { placements } = await store.followMerges(manager, batch);
          await store.storeEvents(manager, placements);
        });
      }
      const rows: { event_id: string; incident_id: string | null }[] = await dataSource.query('SELECT event_id, incident_id FROM renderer_events');
      expect(new Map(rows.map((row) => [row.event_id, row.incident_id]))).toEqual(placed);
      const holding = new Set([...placed.values()].filter((id): id is string => id !== null));
      const aliased: { from_id: string }[] = await dataSource.query('SELECT from_id FROM renderer_incident_aliases WHERE from_id = ANY($1::text[])', [[...holding]]);
      expect(aliased).toEqual([]);
    }),
    { numRuns: 150 },
  );
}, 120_000);
