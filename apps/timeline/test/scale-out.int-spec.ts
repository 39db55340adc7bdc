import { AssignerProtocol } from 'kafkajs';
import { project, type IncidentEvent } from '@app/domain';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';
import { exampleEvents } from '../../../test/support/fixtures.js';
import { startStack, type RunningStack } from '../../../test/support/stack.js';
import { chunks, getJson, metric, openKit, publish, random, shuffle, sleep, storedEventCount, waitUntilConsumed, type Envelope, type TimelineKit } from './support/timeline-kit.js';

/* Two instances in one consumer group share the partitions, yet one incident's events never split it in two. */

const environment = testEnvironment('tl_scale');
const stacks: RunningStack[] = [];
let kit: TimelineKit;

beforeAll(async () => {
  kit = await openKit(environment);
  stacks.push(await startStack(environment, ['timeline'], kit.serviceEnv));
  stacks.push(await startStack(environment, ['timeline'], kit.serviceEnv));
}, 60_000);

afterAll(async () => {
  for (const stack of stacks) await stack.close();
  await kit?.close();
  await environment.dropDatabase();
}, 30_000);

test('events of one incident spread over partitions and instances still make one incident', async () => {
  // Both instances own partitions before anything is produced, so both really consume.
  await waitFor(
    async () => {
      const { groups } = await kit.admin.describeGroups([kit.group]);
      const group = groups[0]!;
      return group.state === 'Stable' && group.members.length === 2 && group.members.every((member) => (AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment[kit.topics.events]?.length ?? 0) > 0);
    },
    'two members sharing the partitions',
    40_000,
  );

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
