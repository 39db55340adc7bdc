import fc from 'fast-check';
import { parseEvent, type IncidentEvent } from '@app/domain';

/* fast-check generators of valid events, shared by the property tests of the projection. */

const BASE_MS = Date.UTC(2025, 3, 5, 15, 0);

/** Renders an instant with a given UTC offset, so generated logs mix `Z` and `+hh:mm` forms. */
function isoWithOffset(ms: number, offsetMinutes: number): string {
  if (offsetMinutes === 0) return new Date(ms).toISOString().replace('.000Z', 'Z');
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const severity = fc.constantFrom('P1', 'P2', 'P3', 'P4', 'P5');
const text = fc.constantFrom('a', 'b', 'c', 'Ünïcode 🚒');

export type Payload = { type: string; data: Record<string, unknown> };

/** A payload of every reporting type (the corrections are left to the tests about them). */
export const payloads: fc.Arbitrary<Payload> = fc.oneof(
  fc.record({ type: fc.constant('alert.triggered'), data: fc.record({ alertName: text }) }),
  fc.record({ type: fc.constant('alert.resolved'), data: fc.record({ alertName: text }) }),
  fc.record({ type: fc.constantFrom('page.sent', 'page.acknowledged', 'page.escalated'), data: fc.constant({}) }),
  fc.record({ type: fc.constant('incident.declared'), data: fc.record({ title: text, severity, team: text }, { requiredKeys: [] }) }),
  fc.record({ type: fc.constant('severity.changed'), data: fc.record({ severity }) }),
  fc.record({
    type: fc.constant('status.changed'),
    data: fc.record({ status: fc.constantFrom('investigating', 'identified', 'mitigated', 'monitoring', 'resolved') }),
  }),
  fc.record({
    type: fc.constant('root_cause.identified'),
    data: fc.record({ summary: text, category: text, contributingFactors: fc.array(text, { maxLength: 3 }) }),
  }),
  fc.record({ type: fc.constant('mitigation.applied'), data: fc.record({ action: text }) }),
  fc.record({ type: fc.constant('service.impacted'), data: fc.record({ service: fc.constantFrom('auth', 'db', 'web') }) }),
  fc.record({
    type: fc.constant('impact.measured'),
    data: fc.record({ metric: fc.constantFrom('error_rate', 'latency_p99'), unit: fc.constant('%'), peak: fc.nat(100) }),
  }),
  fc.record({
    type: fc.constant('customer_impact.reported'),
    data: fc.record({ usersAffected: fc.nat(), supportTickets: fc.nat(), revenueUsd: fc.nat() }, { requiredKeys: [] }),
  }),
  fc.record({ type: fc.constant('resolution.step'), data: fc.record({ description: text }) }),
  fc.record({ type: fc.constant('lesson.recorded'), data: fc.record({ kind: fc.constantFrom('went_well', 'to_improve'), text }) }),
  fc.record({
    type: fc.constant('action_item.added'),
    data: fc.record({ priority: fc.constantFrom('P1', 'P4'), action: text, owner: text, dueDate: fc.constant('2025-05-01') }),
  }),
  fc.record({ type: fc.constant('note.added'), data: fc.record({ text }) }),
);

/** One of 13 instants a quarter of an hour apart, in one of three UTC offsets: ties (broken by id) are frequent. */
export const occurredAt = fc
  .record({ minute: fc.nat(12).map((n) => n * 15), offset: fc.constantFrom(0, 120, -300) })
  .map(({ minute, offset }) => isoWithOffset(BASE_MS + minute * 60_000, offset));

/** An envelope without its id, carrying one of `payload`. */
export const envelopeOf = (payload: fc.Arbitrary<Payload>) =>
  fc
    .record({
      payload,
      occurredAt,
      service: fc.constantFrom('orders', 'auth'),
      key: fc.option(fc.constantFrom('K1', 'pd:2'), { nil: undefined }),
    })
    .map(({ payload: { type, data }, occurredAt: at, service, key }) => ({
      type,
      data,
      occurredAt: at,
      source: 'test',
      service,
      ...(key ? { incidentKey: key } : {}),
    }));

/** The validated event; a generator that produces an invalid one is a broken test, so it throws. */
export function validEvent(envelope: Record<string, unknown>): IncidentEvent {
  const result = parseEvent(envelope);
  if (!result.ok) throw new Error(`generator produced an invalid event: ${JSON.stringify(result.issues)}`);
  return result.event;
}
