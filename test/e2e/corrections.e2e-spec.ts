import { incidentIdFor } from '@app/domain';
import { correctionsEvents, correctionsRca } from '../support/fixtures.js';
import { runningStack } from '../support/stack.js';
import { testEnvironment, waitFor } from '../support/environment.js';

/*
 * The corrections log through the running pipeline (ingest -> timeline -> renderer), one event per request
 * in reverse order, so the retraction arrives before the milestone it retracts and the merge before either
 * incident exists, with some events sent twice: the renderer's RCA is the hand-checked document, for the
 * target incident and for the merged one, by its key and by its old id.
 */

const environment = testEnvironment('corrections');
const stack = runningStack(environment, ['ingest', 'timeline', 'renderer'], { LOG_LEVEL: 'warn' });

async function post(event: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${stack.ingest}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
  expect(response.status).toBe(202);
}

test('the RCA of a corrected, merged incident is the one written by hand, through the pipeline', async () => {
  const events = correctionsEvents();
  const arrival = [...events].reverse();
  for (const event of [...arrival, ...arrival.filter((_, i) => i % 5 === 0)]) await post(event);

  const expected = correctionsRca();
  const rcaOf = async (ref: string) => (await fetch(`${stack.renderer}/v1/incidents/${encodeURIComponent(ref)}/rca.md?preparedOn=2025-06-13`)).text();
  const settled = await waitFor(async () => ((await rcaOf('INC-2025-0612-PAY')) === expected ? true : null), 'the RCA of the corrected incident', 60_000).catch(() => false);
  if (!settled) expect((await rcaOf('INC-2025-0612-PAY')).split('\n')).toEqual(expected.split('\n'));

  expect(await rcaOf('INC-2025-0612-CHK')).toBe(expected);
  expect(await rcaOf(incidentIdFor({ id: 'chk-alert-1' }))).toBe(expected);
  const merged = (await (await fetch(`${stack.timeline}/v1/incidents/${incidentIdFor({ id: 'chk-alert-1' })}`)).json()) as { id: string };
  // Every event counts but the retracted one.
  expect(merged).toMatchObject({ mergedInto: merged.id, eventCount: events.length - 1, durations: { timeToDetectMinutes: 12 } });
});
