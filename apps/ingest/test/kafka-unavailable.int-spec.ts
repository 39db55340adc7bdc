import { testEnvironment } from '../../../test/support/environment.js';
import { runningStack } from '../../../test/support/stack.js';
import { fixtureText } from './fixtures/fixtures.js';
import { ingestEnv, post, request, type Reply } from './support/ingest-kit.js';
import { privateBroker, type PrivateBroker } from './support/private-broker.js';

/*
 * 503 when Kafka cannot take the events: ingest starts against a broker of this suite's own (start-up
 * creates the topics there), which is then stopped under it. Requests must get a 503 with
 * Retry-After within a bounded time (the producer's retries are limited), not hang, and succeed
 * again once the broker is back, so a sender that follows Retry-After loses nothing.
 */

const environment = testEnvironment('ingest_503');
let broker: PrivateBroker;

/** The bound a sender can rely on; the publisher's own budget (10 s timeout, 5 short retries) is well inside it. */
const BOUND_MS = 30_000;

beforeAll(async () => {
  broker = await privateBroker('ingest-503');
  await broker.start();
}, 120_000);

const stack = runningStack(environment, ['ingest'], () => ({ ...ingestEnv(environment), KAFKA_BROKERS: broker.address }));

afterAll(async () => {
  await broker?.destroy();
}, 60_000);

const note = (id: string) => ({ id, type: 'note.added', occurredAt: '2025-04-05T15:28:00Z', source: 'api', service: 'kafka-outage', data: { text: id } });

function expect503(reply: Reply, what: string): void {
  expect([what, reply.status, reply.headers.get('content-type')?.split(';')[0]]).toEqual([what, 503, 'application/problem+json']);
  expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(reply.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
  expect(reply.ms).toBeLessThan(BOUND_MS);
}

test('Kafka stops under a running ingest: 503 with Retry-After, in bounded time, then 202 once it is back', async () => {
  const events = `${stack.ingest}/v1/events`;
  expect((await post(events, note('before-outage'))).status).toBe(202);

  await broker.stop();
  // Concurrent requests each get their answer within the bound; none queues up behind another.
  const replies = await Promise.all([
    post(events, note('during-outage-1')),
    post(events, [note('during-outage-2'), note('during-outage-3')]),
    post(`${stack.ingest}/v1/webhooks/alertmanager`, fixtureText('alertmanager/firing.json')),
    post(`${stack.ingest}/v1/cloudevents`, { specversion: '1.0', id: 'o-1', source: '/outage', type: 'note.added', time: '2025-04-05T15:28:00Z', subject: 'kafka-outage', data: { text: 'x' } }, { 'content-type': 'application/cloudevents+json' }),
  ]);
  replies.forEach((reply, index) => expect503(reply, ['events', 'events batch', 'alertmanager', 'cloudevents'][index]!));
  // A request after those is not stuck behind them either.
  expect503(await post(events, note('during-outage-4')), 'events, again');
  expect((await request(`${stack.ingest}/health/ready`)).status).toBe(503);
  expect((await request(`${stack.ingest}/health/live`)).status).toBe(200);

  await broker.start();
  // A sender retrying as told gets through once the broker is back.
  let reply: Reply | undefined;
  for (let attempt = 0; attempt < 20 && reply?.status !== 202; attempt++) {
    reply = await post(events, note('during-outage-1'));
    if (reply.status !== 202) await new Promise((resolve) => setTimeout(resolve, 1000 * Number(reply!.headers.get('retry-after') ?? 1)));
  }
  expect(reply).toMatchObject({ status: 202, body: { accepted: 1, eventIds: ['during-outage-1'] } });
}, 110_000);
