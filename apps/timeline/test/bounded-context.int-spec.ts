import type { DataSource } from 'typeorm';
import { correlateLog, correlationKeysOf, correlationSettingsOf, parseEvent, type IncidentEvent } from '@app/domain';
import { testEnvironment } from '../../../test/support/environment.js';
import { loadTimelineConfig } from '../src/config.js';
import { BatchProcessor, planInStableContext } from '../src/consumer/batch-processor.js';
import { CorrelationContext } from '../src/consumer/correlation-context.js';
import { openTimelineDataSource } from '../src/event-store/data-source.js';

/*
 * Issue 12, "bounded work per event": a batch holding a current event and a ten-day-old one of the same
 * service loads the incidents of those two windows (and what they reach), not the ten days between, and
 * still places every event where correlating the whole log would.
 */

const environment = testEnvironment('tl_bounded');
const config = loadTimelineConfig({ ...environment.env });
const settings = correlationSettingsOf(config);
let dataSource: DataSource;

beforeAll(async () => {
  dataSource = await openTimelineDataSource(environment.databaseUrl, 2);
}, 60_000);

afterAll(async () => {
  await dataSource?.destroy();
  await environment.dropDatabase();
}, 30_000);

const SERVICE = 'payments';
const DAY_MS = 86_400_000;
const NOW_MS = Date.parse('2026-03-11T00:00:00Z');
const at = (day: number, time: string) => new Date(NOW_MS + day * DAY_MS + Date.parse(`1970-01-01T${time}Z`)).toISOString();

const parsed = (envelope: Record<string, unknown>): IncidentEvent => {
  const result = parseEvent(envelope);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
};
const alert = (id: string, occurredAt: string) => parsed({ id, type: 'alert.triggered', occurredAt, source: 'test', service: SERVICE, data: { alertName: 'HighErrors', fingerprint: `${id}-fp` } });
const resolved = (id: string, occurredAt: string, of: string) => parsed({ id, type: 'alert.resolved', occurredAt, source: 'test', service: SERVICE, data: { alertName: 'HighErrors', fingerprint: `${of}-fp` } });
const note = (id: string, occurredAt: string) => parsed({ id, type: 'note.added', occurredAt, source: 'test', service: SERVICE, data: { text: id } });

/** Days -10..0: each an incident from 12:00 to 12:20 (its window 11:30-12:20), and a note at 20:00 that no window holds. */
const history = Array.from({ length: 11 }, (_, i) => i - 10).flatMap((day) => [
  alert(`alert-${day}`, at(day, '12:00:00')),
  note(`note-${day}`, at(day, '12:10:00')),
  resolved(`ok-${day}`, at(day, '12:20:00'), `alert-${day}`),
  note(`evening-${day}`, at(day, '20:00:00')),
]);
const current = note('current', at(0, '12:15:00'));
// Ten days old and earlier than that day's first alert (within the margin): it opens that incident now.
const late = alert('late', at(-10, '11:50:00'));

const placementOf = (log: ReturnType<typeof correlateLog>) =>
  new Map([...log.incidents.flatMap((incident) => incident.events.map((event): [string, string | null] => [event.id, incident.id])), ...log.unattached.map((event): [string, string | null] => [event.id, null])]);

test('a current event and a ten-day-old one load the incidents of their two windows, and place as the whole log does', async () => {
  const processor = new BatchProcessor(dataSource, config);
  await processor.process(history.map((event) => ({ event })));
  const storedIncidents = await dataSource.query('SELECT count(*)::int AS n FROM incidents');
  expect(storedIncidents[0].n).toBe(11);

  const fresh = [current, late];
  const context = new CorrelationContext(fresh, settings, (event) => correlationKeysOf(event, settings));
  const plan = await dataSource.transaction((manager) => planInStableContext(manager, fresh, settings, context));

  const loadedIds = context.stored().map((placement) => placement.event.id).sort();
  expect(loadedIds).toEqual(['alert--10', 'alert-0', 'note--10', 'note-0', 'ok--10', 'ok-0']);
  const whole = correlateLog([...history, ...fresh], settings);
  const expected = placementOf(whole);
  for (const [eventId, incidentId] of placementOf(plan.log)) expect([eventId, incidentId]).toEqual([eventId, expected.get(eventId)]);
  expect(plan.log.incidents).toEqual(whole.incidents.filter((incident) => incident.events.some((event) => loadedIds.includes(event.id))));

  // Stored through the pipeline's own path, the whole stored correlation is correlateLog's.
  await processor.process(fresh.map((event) => ({ event })));
  const rows: { event_id: string; incident_id: string | null }[] = await dataSource.query('SELECT event_id, incident_id FROM events');
  expect(new Map(rows.map((row) => [row.event_id, row.incident_id]))).toEqual(expected);
  expect(expected.get('late')).toBe(expected.get('alert--10'));
  expect(expected.get('evening--10')).toBeNull();
});
