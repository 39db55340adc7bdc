import { AssignerProtocol } from 'kafkajs';
import pg from 'pg';
import { correlateLog, project, type IncidentEvent } from '@app/domain';
import { ADVISORY_LOCKS } from '@app/platform';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';
import { exampleEvents } from '../../../test/support/fixtures.js';
import { startStack, type RunningStack } from '../../../test/support/stack.js';
import { chunks, getJson, metric, openKit, publish, random, shuffle, sleep, storedEventCount, waitUntilConsumed, type Envelope, type TimelineKit } from './support/timeline-kit.js';

/*
 * Two instances in one consumer group share the partitions, yet one incident's events never split it in two.
 * The first test spreads an incident over every partition under ordinary load: it passes without the
 * correlation lock too (tried), since batches rarely overlap and a later batch heals a split. The second
 * holds a batch of each instance at once, so it fails without the lock, or with a lock per instance.
 */

const environment = testEnvironment('tl_scale');
/** Each instance names its database sessions, so pg_stat_activity tells which instance a transaction is. */
const INSTANCES = ['timeline-scale-a', 'timeline-scale-b'];
const stacks: RunningStack[] = [];
let kit: TimelineKit;

beforeAll(async () => {
  kit = await openKit(environment);
  for (const name of INSTANCES) stacks.push(await startStack(environment, ['timeline'], { ...kit.serviceEnv, DATABASE_URL: `${environment.databaseUrl}?application_name=${name}` }));
}, 60_000);

afterAll(async () => {
  for (const stack of stacks) await stack.close();
  await kit?.close();
  await environment.dropDatabase();
}, 30_000);

/** The events partitions of each of the two members, once both own some: then both really consume. */
function membersPartitions(): Promise<number[][]> {
  return waitFor(
    async () => {
      const { groups } = await kit.admin.describeGroups([kit.group]);
      const group = groups[0]!;
      const owned = group.members.map((member) => AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment[kit.topics.events] ?? []);
      return group.state === 'Stable' && owned.length === 2 && owned.every((partitions) => partitions.length > 0) && owned;
    },
    'two members sharing the partitions',
    40_000,
  );
}

test('events of one incident spread over partitions and instances still make one incident', async () => {
  await membersPartitions();

  const events = exampleEvents() as Envelope[];
  const next = random(7);
  // Keyed by event id: the incident's events land on every partition, so both instances correlate them concurrently.
  for (const chunk of chunks(shuffle(events, next), 3)) {
    await publish(kit, chunk, { key: (event) => event.id });
    await sleep(30);
  }
  await waitUntilConsumed(kit);
  expect(await storedEventCount(kit)).toBe(35);

  const stored = await Promise.all(stacks.map((stack) => metric(stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'stored' })));
  expect(stored.every((count) => count > 0)).toBe(true);
  expect(stored[0]! + stored[1]!).toBe(35);

  const partitions = await kit.sql<{ kafka_partition: number }>('SELECT DISTINCT kafka_partition FROM events');
  expect(partitions.length).toBeGreaterThan(2);

  let page0Id = '';
  for (const stack of stacks) {
    const page = await getJson<{ items: any[] }>(`${stack.timeline}/v1/incidents`);
    page0Id = page.items[0].id;
    expect(page.items).toHaveLength(1);
    expect(page.items[0].eventCount).toBe(35);
    expect(page.items[0]).toEqual(project(page.items[0].id, events as unknown as IncidentEvent[]));
  }
  // An incident opened by an event that arrived before the earliest one is now an alias of the one that holds
  // them all (its old id stays readable): one incident answers, whatever the other rows.
  const [counts] = await kit.sql('SELECT count(*)::int AS incidents FROM incidents WHERE merged_into IS NULL');
  expect(counts).toEqual({ incidents: 1 });
  const aliases = await kit.sql<{ id: string; merged_into: string }>('SELECT id, merged_into FROM incidents WHERE merged_into IS NOT NULL');
  for (const alias of aliases) {
    expect(alias.merged_into).toBe(page0Id);
    expect(await getJson(`${stacks[0]!.timeline}/v1/incidents/${alias.id}`)).toMatchObject({ id: page0Id, mergedInto: page0Id });
  }
  expect(await kit.sql('SELECT count(DISTINCT incident_id)::int AS n, count(incident_id)::int AS attached FROM events')).toEqual([{ n: 1, attached: 35 }]);
  expect(await getJson(`${stacks[1]!.timeline}/v1/unattached-events`)).toEqual({ items: [], total: 0, totalCapped: false });
}, 90_000);

/** The example log as another incident: its own ids, keys and service, so nothing links it to the first test's. */
const secondIncident = (): Envelope[] =>
  (exampleEvents() as Envelope[]).map((event) => ({
    ...event,
    id: `second-${event.id}`,
    service: 'second-service',
    ...(typeof event.incidentKey === 'string' ? { incidentKey: `second-${event.incidentKey}` } : {}),
  }));

interface Waiting {
  instance: string;
  /** What its batch transaction waits for: `advisory` (the correlation lock) or `relation` (the gate). */
  on: string;
}

test('both instances are inside a batch of one incident at once: one waits on the correlation lock while the other holds it, and the incident is still one', async () => {
  const [partitionsA, partitionsB] = await membersPartitions();
  const events = secondIncident();
  const expected = correlateLog(events as unknown as IncidentEvent[]);
  expect(expected.incidents).toHaveLength(1);

  // Whether two batches overlap is otherwise up to the scheduler, and a check after the fact cannot tell.
  // The gate makes the overlap certain: a SHARE lock on `events` lets a batch transaction read and plan but
  // holds it at its first INSERT, where its correlation is decided and not yet stored. Without the
  // correlation lock both instances reach that point with plans made from the same empty store.
  const gate = new pg.Client({ connectionString: `${environment.databaseUrl}?application_name=scale-out-gate` });
  await gate.connect();
  let waiting: Waiting[];
  let correlationLock: { instance: string; granted: boolean }[];
  try {
    await gate.query('BEGIN');
    await gate.query('LOCK TABLE events IN SHARE MODE');
    // In event-time order, every other event to a partition of each member: each half holds an event that
    // opens an incident (the alert on one side, the declaration on the other).
    const ordered = [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));
    await publish(kit, ordered, { partition: (_event, index) => (index % 2 === 0 ? partitionsA![0]! : partitionsB![0]!) });

    waiting = await waitFor(async () => {
      const rows = await kit.sql<Waiting>(
        `SELECT application_name AS instance, wait_event AS on FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = ANY($1::text[]) AND wait_event_type = 'Lock' AND xact_start IS NOT NULL
         ORDER BY application_name`,
        [INSTANCES],
      );
      return new Set(rows.map((row) => row.instance)).size === 2 && rows;
    }, 'a batch transaction of each instance, both held at once', 30_000);
    correlationLock = await kit.sql(
      `SELECT a.application_name AS instance, l.granted FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
       ORDER BY l.granted DESC`,
      [ADVISORY_LOCKS.correlation],
    );
    await gate.query('COMMIT');
  } finally {
    await gate.end();
  }
  await waitUntilConsumed(kit);

  // The result first: one incident, as correlating the whole log at once makes it.
  const ids = events.map((event) => event.id);
  const placed = await kit.sql<{ incident_id: string | null; events: number }>(
    'SELECT incident_id, count(*)::int AS events FROM events WHERE event_id = ANY($1::text[]) GROUP BY incident_id',
    [ids],
  );
  expect(placed).toEqual([{ incident_id: expected.incidents[0]!.id, events: events.length }]);
  const state = await getJson(`${stacks[1]!.timeline}/v1/incidents/${expected.incidents[0]!.id}`);
  expect(state).toEqual(project(expected.incidents[0]!.id, events as unknown as IncidentEvent[]));
  expect(await kit.sql('SELECT id FROM incidents WHERE service = $1 AND merged_into IS NULL', ['second-service'])).toEqual([{ id: expected.incidents[0]!.id }]);

  // Then that it was made under contention: each instance had a batch transaction held at the same moment,
  // the one behind waiting on the correlation lock that the other's held.
  expect(waiting!).toHaveLength(2);
  const holder = waiting!.find((row) => row.on === 'relation');
  const waiter = waiting!.find((row) => row.on === 'advisory');
  expect({ holder: holder?.instance, waiter: waiter?.instance }).toEqual({ holder: expect.any(String), waiter: expect.any(String) });
  expect(correlationLock!).toEqual([
    { instance: holder!.instance, granted: true },
    { instance: waiter!.instance, granted: false },
  ]);
}, 90_000);
