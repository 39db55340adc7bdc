import type { Consumer } from 'kafkajs';
import pg from 'pg';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';
import { getJson, messagesOn, metric, publish, publishRaw, runningTimeline, storedEventCount, waitUntilConsumed, type Envelope } from './support/timeline-kit.js';

/*
 * PostgreSQL unavailable: the consumer retries the batch with backoff and never skips it. The outage is
 * real but confined to this suite's database (the shared server keeps running): new connections are
 * refused and the timeline's open ones are terminated.
 */

const environment = testEnvironment('tl_dbdown');
let maintenance: pg.Client;
let dlqReader: Consumer | undefined;
const databaseName = new URL(environment.databaseUrl).pathname.slice(1);

const allowConnections = (allowed: boolean) => maintenance.query(`ALTER DATABASE ${pg.escapeIdentifier(databaseName)} ALLOW_CONNECTIONS ${allowed}`);

beforeAll(async () => {
  const url = new URL(environment.databaseUrl);
  url.pathname = '/postgres';
  maintenance = new pg.Client({ connectionString: url.toString() });
  await maintenance.connect();
}, 60_000);

// Declared first, so it runs before runningTimeline's clean-up closes the timeline and the kit.
afterAll(async () => {
  if (dlqReader) {
    await dlqReader.disconnect();
    await suite.kit.admin.deleteGroups([`${suite.kit.group}-dlq-reader`]).catch(() => undefined);
  }
  await allowConnections(true).catch(() => undefined);
  await maintenance?.end();
}, 30_000);

// A partition retrying for a second already counts as not moving: readiness and the gauge show it.
const suite = runningTimeline(environment, { CONSUMER_STALL_SECONDS: '1' });

const note = (n: number): Envelope => ({
  id: `outage-${n}`,
  type: n === 0 ? 'alert.triggered' : 'note.added',
  occurredAt: new Date(Date.UTC(2025, 4, 4, 12, 0, n)).toISOString(),
  source: 'api',
  service: `inventory-${n % 3}`,
  incidentKey: `INC-OUTAGE-${n % 3}`,
  data: n === 0 ? { alertName: 'InventoryDown' } : { text: `note ${n}` },
});

test('while the database refuses connections the batch is retried, not skipped; afterwards every event is stored once', async () => {
  const openers: Envelope[] = [0, 1, 2].map((i) => ({ ...note(i), id: `outage-open-${i}`, type: 'incident.declared', data: { title: `inventory ${i}`, severity: 'P2' } }));
  await publish(suite.kit, openers);
  await waitUntilConsumed(suite.kit);
  expect(await storedEventCount(suite.kit)).toBe(3); // also connects this suite's own client before the outage
  const retriesBefore = await metric(suite.stack.timeline!, 'aftermath_timeline_batch_retries_total');

  await allowConnections(false);
  const [mine] = await suite.kit.sql<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const killed = await maintenance.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2', [databaseName, mine!.pid]);
  expect(killed.rowCount).toBeGreaterThan(0);
  try {
    const during = Array.from({ length: 60 }, (_, i) => note(i + 3));
    // A poison message in the middle of the batch that keeps failing: it must reach the DLQ once, not once per attempt.
    await publishRaw(suite.kit, [
      ...during.slice(0, 30).map((event) => ({ key: event.service, value: JSON.stringify(event) })),
      { key: 'inventory-0', value: 'poison during the outage' },
      ...during.slice(30).map((event) => ({ key: event.service, value: JSON.stringify(event) })),
    ]);
    await publish(suite.kit, during.slice(0, 20)); // re-sends too
    await waitFor(async () => (await metric(suite.stack.timeline!, 'aftermath_timeline_batch_retries_total')) >= retriesBefore + 5, 'the consumer retrying', 20_000);
    expect((await fetch(`${suite.stack.timeline}/health/ready`)).status).toBe(503);
    await waitFor(async () => /partition not moving/.test(await (await fetch(`${suite.stack.timeline}/health/ready`)).text()), 'readiness naming the stalled partition');
    expect(await metric(suite.stack.timeline!, 'aftermath_consumer_partition_stalled_seconds')).toBeGreaterThan(0);
    // Nothing was skipped: the offsets stay where the database left them.
    const [committed] = await suite.kit.admin.fetchOffsets({ groupId: suite.kit.group, topics: [suite.kit.topics.events] });
    const ends = await suite.kit.admin.fetchTopicOffsets(suite.kit.topics.events);
    const behind = ends.filter((end) => BigInt(committed!.partitions.find((p) => p.partition === end.partition)!.offset) < BigInt(end.high));
    expect(behind.length).toBeGreaterThan(0);
    expect(await storedEventCount(suite.kit)).toBe(3);
  } finally {
    await allowConnections(true);
  }

  await waitUntilConsumed(suite.kit, 30_000);
  expect(await storedEventCount(suite.kit)).toBe(63);
  await waitFor(async () => (await fetch(`${suite.stack.timeline}/health/ready`)).status === 200, 'ready again once the partitions move');
  expect(await metric(suite.stack.timeline!, 'aftermath_consumer_partition_stalled_seconds')).toBe(0);
  expect(await suite.kit.sql('SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d, count(incident_id)::int AS attached FROM events')).toEqual([{ n: 63, d: 63, attached: 63 }]);
  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_batch_retries_total')).toBeGreaterThan(retriesBefore);
  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'stored' })).toBe(63);
  for (let i = 0; i < 3; i += 1) {
    const incident = await getJson(`${suite.stack.timeline}/v1/incidents/INC-OUTAGE-${i}`);
    expect(incident.eventCount).toBe(21);
  }
  await waitFor(async () => (await fetch(`${suite.stack.timeline}/health/ready`)).status === 200, 'ready again');

  const letters: string[] = [];
  dlqReader = suite.kit.kafka.consumer({ groupId: `${suite.kit.group}-dlq-reader`, maxWaitTimeInMs: 100 });
  await dlqReader.connect();
  await dlqReader.subscribe({ topic: suite.kit.topics.deadLetters, fromBeginning: true });
  await dlqReader.run({ eachMessage: async ({ message }) => void letters.push(message.value!.toString()) });
  // Everything is consumed, so the topic holds every letter the timeline will write: read it to its end.
  const onTopic = await messagesOn(suite.kit, suite.kit.topics.deadLetters);
  await waitFor(async () => letters.length >= onTopic && letters.length > 0, 'the dead letter');
  expect(letters).toEqual(['poison during the outage']);
  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'dead_letter' })).toBe(1);
}, 90_000);
