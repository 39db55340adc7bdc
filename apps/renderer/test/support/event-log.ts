import { readFileSync } from 'node:fs';
import { parseEvent, parseEventLog, type IncidentEvent } from '@app/domain';

/** Repository root, from apps/renderer/test/support. */
export const repoRoot = new URL('../../../../', import.meta.url);
export const fixturePath = new URL('test/fixtures/order-service-cache-bug.ndjson', repoRoot);
export const referencePath = new URL('test/fixtures/rca-2025-04-05-cache-invalidation-bug-order-service.md', repoRoot);

export const referenceRca = () => readFileSync(referencePath, 'utf8');

/** The corrections log (impact start, a retracted wrong milestone, two incidents merged) and its hand-checked RCA. */
export const correctionsPath = new URL('test/fixtures/payments-outage-corrected.ndjson', repoRoot);
export const correctionsRcaPath = new URL('test/fixtures/rca-2025-06-12-expired-card-network-certificate-payments-api.md', repoRoot);
export const correctionsRca = () => readFileSync(correctionsRcaPath, 'utf8');

export function correctionsEvents(): IncidentEvent[] {
  const { events, errors } = parseEventLog(readFileSync(correctionsPath, 'utf8'));
  if (errors.length > 0) throw new Error(`corrections log has bad lines: ${JSON.stringify(errors)}`);
  return events;
}

export function fixtureEvents(): IncidentEvent[] {
  const { events, errors } = parseEventLog(readFileSync(fixturePath, 'utf8'));
  if (errors.length > 0) throw new Error(`fixture log has bad lines: ${JSON.stringify(errors)}`);
  return events;
}

let counter = 0;

/** A valid envelope (validated by the real parser) with defaults for the fields a test does not care about. */
export function event(type: string, data: object = {}, fields: Record<string, unknown> = {}): IncidentEvent {
  counter += 1;
  const envelope = {
    id: `test-${String(counter).padStart(4, '0')}`,
    type,
    occurredAt: '2025-04-05T15:28:00Z',
    source: 'api',
    service: 'order-service',
    data,
    ...fields,
  };
  const result = parseEvent(envelope);
  if (!result.ok) throw new Error(`test event is invalid: ${JSON.stringify(result.issues)}`);
  return result.event;
}

/** The first line where `actual` departs from `expected` (as a readable message), or null when it starts with all of it. */
export function firstDifference(expected: string, actual: string): string | null {
  const want = expected.replace(/\n$/, '').split('\n');
  const got = actual.split('\n');
  for (let i = 0; i < want.length; i += 1) {
    if (got[i] !== want[i]) return `line ${i + 1}: expected ${JSON.stringify(want[i])}, got ${JSON.stringify(got[i])}`;
  }
  return null;
}
