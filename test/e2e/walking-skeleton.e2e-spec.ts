import { exampleEvents } from '../support/fixtures.js';
import { runningStack } from '../support/stack.js';
import { testEnvironment, waitFor } from '../support/environment.js';

const environment = testEnvironment('skeleton');
const stack = runningStack(environment, ['ingest', 'timeline', 'renderer'], { LOG_LEVEL: 'warn' });

test('one event goes in at ingest and comes out as an incident and an RCA draft', async () => {
  const [firstEvent] = exampleEvents();
  const posted = await fetch(`${stack.ingest}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(firstEvent),
  });
  expect(posted.status).toBe(202);
  expect(await posted.json()).toEqual({ accepted: 1, eventIds: ['am-7f3c1a9e-firing'] });

  const page = await waitFor(async () => {
    const response = await fetch(`${stack.timeline}/v1/incidents`);
    const body = (await response.json()) as { items: { id: string }[] };
    return body.items.length > 0 ? body : null;
  }, 'the incident on the timeline');
  expect(page.items).toHaveLength(1);
  const incidentId = page.items[0]!.id;

  const incident = (await (await fetch(`${stack.timeline}/v1/incidents/${incidentId}`)).json()) as Record<string, unknown>;
  expect(incident).toMatchObject({ id: incidentId, primaryService: 'order-service', status: 'triggered', open: true, eventCount: 1 });

  const markdown = await waitFor(async () => {
    const response = await fetch(`${stack.renderer}/v1/incidents/${incidentId}/rca.md?preparedOn=2025-04-06`);
    return response.status === 200 ? response.text() : null;
  }, 'the RCA draft from the renderer');
  expect(markdown).toContain('# 2025-04-05 - OrderServiceHighErrorRate');

  for (const url of [stack.ingest, stack.timeline, stack.renderer]) {
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
  }
});
