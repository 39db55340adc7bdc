import { testEnvironment, waitFor } from '../../../test/support/environment.js';
import { startStack, type RunningStack } from '../../../test/support/stack.js';
import { getJson, openKit, publish, type Envelope, type TimelineKit } from './support/timeline-kit.js';

/*
 * KAFKA_TOPIC_PREFIX isolates deployments (and test runs) sharing one broker. Two timelines with
 * different prefixes and the default consumer group must each consume their own topic at the same time.
 */

const environments = [testEnvironment('tl_prefix_a'), testEnvironment('tl_prefix_b')];
const stacks: RunningStack[] = [];
const kits: TimelineKit[] = [];

beforeAll(async () => {
  for (const environment of environments) {
    kits.push(await openKit(environment));
    // No TIMELINE_CONSUMER_GROUP: the default is what is under test.
    stacks.push(await startStack(environment, ['timeline'], { LOG_LEVEL: 'warn' }));
  }
}, 60_000);

afterAll(async () => {
  for (const stack of stacks) await stack.close();
  for (const [i, kit] of kits.entries()) {
    await kit.admin.deleteGroups([`${environments[i]!.topicPrefix}aftermath-timeline`]).catch(() => undefined);
    await kit.close();
  }
  for (const environment of environments) await environment.dropDatabase();
}, 30_000);

test('two prefixed deployments on one broker each consume their own events', async () => {
  for (const [i, kit] of kits.entries()) {
    const event: Envelope = { id: `prefix-${i}`, type: 'alert.triggered', occurredAt: '2025-05-05T10:00:00Z', source: 'api', service: 'prefix-service', incidentKey: `INC-PREFIX-${i}`, data: { alertName: `Prefix${i}` } };
    await publish(kit, [event]);
  }
  for (const [i, stack] of stacks.entries()) {
    const incident = await waitFor(
      async () => {
        const response = await fetch(`${stack.timeline}/v1/incidents/INC-PREFIX-${i}`);
        return response.ok ? response.json() : null;
      },
      `deployment ${i} to consume its own event`,
      20_000,
    );
    expect(incident).toMatchObject({ eventCount: 1, keys: [`INC-PREFIX-${i}`] });
    expect((await getJson<{ items: unknown[] }>(`${stack.timeline}/v1/incidents`)).items).toHaveLength(1);
  }
}, 90_000);
