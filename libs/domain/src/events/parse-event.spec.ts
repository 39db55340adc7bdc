import { readFileSync } from 'node:fs';
import { EVENT_TYPES, parseEvent, type EventEnvelopeInput } from '../index.js';

const fixtureLines = readFileSync(new URL('../../../../test/fixtures/order-service-cache-bug.ndjson', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');

const valid: EventEnvelopeInput = {
  id: 'evt-1',
  type: 'alert.triggered',
  occurredAt: '2025-04-05T15:28:00Z',
  source: 'alertmanager',
  service: 'order-service',
  data: { alertName: 'HighErrorRate' },
};

function issuePaths(input: unknown): string[] {
  const result = parseEvent(input);
  if (result.ok) throw new Error('expected a validation failure');
  return result.issues.map((issue) => issue.path);
}

describe('parseEvent', () => {
  it('accepts every line of the reference event log', () => {
    for (const line of fixtureLines) {
      const result = parseEvent(JSON.parse(line));
      expect(result).toMatchObject({ ok: true });
    }
    expect(fixtureLines).toHaveLength(35);
  });

  it('keeps occurredAt exactly as sent, including a non-UTC offset', () => {
    const result = parseEvent({ ...valid, occurredAt: '2025-04-05T17:28:00.250+02:00' });
    expect(result.ok && result.event.occurredAt).toBe('2025-04-05T17:28:00.250+02:00');
  });

  it.each(['2025-04-05T15:28:00', '2025-04-05 15:28:00Z', '2025-04-05T15:28Z', '2025-02-30T10:00:00Z', 'yesterday'])(
    'rejects occurredAt %s',
    (occurredAt) => {
      expect(issuePaths({ ...valid, occurredAt })).toEqual(['occurredAt']);
    },
  );

  it('rejects unknown envelope fields by name', () => {
    expect(issuePaths({ ...valid, incident_key: 'X', extra: 1 })).toEqual(['incident_key', 'extra']);
  });

  it('keeps unknown data fields for forward compatibility', () => {
    const result = parseEvent({ ...valid, data: { alertName: 'A', runbookUrl: 'https://x' } });
    expect(result.ok && result.event.data).toEqual({ alertName: 'A', runbookUrl: 'https://x' });
  });

  it('defaults data to {} for types without required fields', () => {
    const result = parseEvent({ ...valid, type: 'page.sent', data: undefined });
    expect(result.ok && result.event.data).toEqual({});
  });

  it('reports a missing required data field at its dot path', () => {
    expect(issuePaths({ ...valid, data: undefined })).toEqual(['data.alertName']);
  });

  it('reports array elements with numeric indexes', () => {
    const rootCause = { summary: 's', category: 'c', contributingFactors: ['ok', 42] };
    expect(issuePaths({ ...valid, type: 'root_cause.identified', data: rootCause })).toEqual(['data.contributingFactors.1']);
  });

  it('rejects an unknown type at path type', () => {
    expect(issuePaths({ ...valid, type: 'alert.exploded' })).toEqual(['type']);
  });

  it.each([
    ['id', ''],
    ['id', 'x'.repeat(257)],
    ['source', 'x'.repeat(65)],
    ['service', 'Order-Service'],
    ['service', '-order'],
    ['incidentKey', ''],
    ['actor', 7],
  ])('validates envelope field %s = %p', (field, value) => {
    expect(issuePaths({ ...valid, [field]: value })).toEqual([field]);
  });

  it.each([
    ['severity.changed', { severity: 'P6' }, 'data.severity'],
    ['incident.declared', { severity: 'critical' }, 'data.severity'],
    ['status.changed', { status: 'closed' }, 'data.status'],
    ['impact.measured', { metric: 'Error-Rate', unit: '%', peak: 1 }, 'data.metric'],
    ['impact.measured', { metric: 'error_rate', unit: '%', peak: '1' }, 'data.peak'],
    ['customer_impact.reported', { usersAffected: -1 }, 'data.usersAffected'],
    ['action_item.added', { priority: 'P5', action: 'a', owner: 'o', dueDate: '2025-04-12' }, 'data.priority'],
    ['action_item.added', { priority: 'P1', action: 'a', owner: 'o', dueDate: '2025-02-29' }, 'data.dueDate'],
    ['action_item.added', { priority: 'P1', action: 'a', owner: 'o', dueDate: '12/04/2025' }, 'data.dueDate'],
    ['alert.triggered', { alertName: 'a', labels: { team: 3 } }, 'data.labels.team'],
    ['lesson.recorded', { kind: 'meh', text: 't' }, 'data.kind'],
    ['service.impacted', { service: 'Auth Service' }, 'data.service'],
  ])('validates %s data %p', (type, data, path) => {
    expect(issuePaths({ ...valid, type, data })).toEqual([path]);
  });

  it('takes up to 8 correlation keys and names the field beyond that', () => {
    expect(parseEvent({ ...valid, correlationKeys: ['dedup:a', 'labels:cluster=eu'] }).ok).toBe(true);
    const tooMany = parseEvent({ ...valid, correlationKeys: Array.from({ length: 9 }, (_, i) => `k${i}`) });
    expect(tooMany.ok).toBe(false);
    if (!tooMany.ok) expect(tooMany.issues.map((issue) => issue.path)).toContain('correlationKeys');
  });

  it('requires the target of a retraction and of a merge', () => {
    const retraction = parseEvent({ ...valid, type: 'event.retracted', data: { reason: 'noise' } });
    expect(retraction.ok).toBe(false);
    if (!retraction.ok) expect(retraction.issues.map((issue) => issue.path)).toEqual(['data.eventId']);
    const merge = parseEvent({ ...valid, type: 'incident.merged', data: {} });
    expect(merge.ok).toBe(false);
    if (!merge.ok) expect(merge.issues.map((issue) => issue.path)).toEqual(['data.into']);
  });

  it('accepts a leap day due date and a string baseline', () => {
    const item = { priority: 'P4', action: 'a', owner: 'o', dueDate: '2024-02-29' };
    expect(parseEvent({ ...valid, type: 'action_item.added', data: item }).ok).toBe(true);
    const impact = { metric: 'error_rate', unit: '%', peak: 48, baseline: '<1' };
    expect(parseEvent({ ...valid, type: 'impact.measured', data: impact }).ok).toBe(true);
  });

  it('knows every catalogue type of EVENTS.md, December additions included', () => {
    expect(EVENT_TYPES).toHaveLength(20);
    expect(EVENT_TYPES.slice(17)).toEqual(['impact.started', 'event.retracted', 'incident.merged']);
    for (const type of EVENT_TYPES) {
      const result = parseEvent({ ...valid, type, data: {} });
      const requiresData = !result.ok && result.issues.every((issue) => issue.path.startsWith('data.'));
      expect(result.ok || requiresData).toBe(true);
    }
  });
});
