import { readFileSync } from 'node:fs';
import { evolve, initialIncidentState, orderEvents, parseEventLog, project, type IncidentEvent, type IncidentState } from '../index.js';

const fixture = parseEventLog(
  readFileSync(new URL('../../../../test/fixtures/order-service-cache-bug.ndjson', import.meta.url), 'utf8'),
).events;

const utc = (hhmm: string, day = '2025-04-05') => `${day}T${hhmm}:00.000Z`;

describe('project on the reference log', () => {
  // Projected in each test (beforeEach runs inside it): the mutation run attributes code to tests only so.
  let state: IncidentState;
  beforeEach(() => {
    state = project('inc-1', fixture);
  });

  it('matches the reference RCA front matter', () => {
    expect(state.severity).toEqual({ value: 'P3', at: utc('15:30'), eventId: 'api-declare-1' });
    expect(state.services).toEqual(['order-service', 'auth-service', 'notification-service', 'analytics-pipeline']);
    expect(state.status).toBe('resolved');
    expect(state.open).toBe(false);
    expect(state.durations.durationMinutes).toBe(139);
    expect(state.team?.value).toBe('Backend Team');
    expect(state.title).toBeNull();
    expect(state.keys).toEqual(['INC-2025-0405-ORD', 'pagerduty:Q0RIJJZL24RC6W']);
  });

  it('lists the seven milestones at the reference times', () => {
    expect(state.milestones.map((m) => [m.at.slice(11, 16), m.name, m.eventId])).toEqual([
      ['15:28', 'Monitoring alert triggered', 'am-7f3c1a9e-firing'],
      ['15:30', 'On-call engineer paged', 'pd-Q0RIJJZL24RC6W-triggered'],
      ['15:33', 'Initial investigation started', 'api-status-1'],
      ['15:38', 'Root cause identified', 'api-status-2'],
      ['16:51', 'Mitigation applied', 'api-status-3'],
      ['17:19', 'Service recovery observed', 'api-status-4'],
      ['17:47', 'Incident resolved', 'api-status-5'],
    ]);
  });

  it('derives times and key durations', () => {
    expect(state.times.startedAt).toEqual({ at: utc('15:28'), eventId: 'am-7f3c1a9e-firing' });
    expect(state.times.acknowledgedAt).toEqual({ at: utc('15:33'), eventId: 'pd-Q0RIJJZL24RC6W-acknowledged' });
    expect(state.times.resolvedAt).toEqual({ at: utc('17:47'), eventId: 'api-status-5' });
    expect(state.durations).toEqual({
      durationMinutes: 139,
      // The log states no impact start: not recorded, never the 0 an alert-opened incident used to show.
      timeToDetectMinutes: null,
      timeToAcknowledgeMinutes: 5,
      timeToMitigateMinutes: 83,
      timeToResolveMinutes: 139,
    });
  });

  it('keeps the findings with their event ids', () => {
    expect(state.rootCause).toMatchObject({ summary: 'cache invalidation bug', category: 'application', eventId: 'api-rootcause-1' });
    expect(state.rootCause?.contributingFactors).toHaveLength(3);
    expect(state.impact.map((f) => [f.metric, f.peak, f.baseline])).toEqual([
      ['error_rate', 48, '<1'],
      ['latency_p99', 2549, 475],
      ['requests_affected', 81, null],
    ]);
    expect(state.customerImpact.usersAffected).toEqual({ value: 3808, at: utc('09:00', '2025-04-06'), eventId: 'api-customer-impact-1' });
    expect(state.customerImpact.revenueUsd?.value).toBe(17556);
    expect(state.resolutionSteps.map((s) => s.eventId)).toEqual(['api-resolution-1', 'api-resolution-2', 'api-resolution-3', 'api-resolution-4']);
    expect(state.lessons.filter((l) => l.kind === 'went_well')).toHaveLength(4);
    expect(state.actionItems.map((a) => a.priority)).toEqual(['P1', 'P2', 'P2', 'P3']);
    expect(state.firstAlertName?.value).toBe('OrderServiceHighErrorRate');
  });

  it('counts events by type', () => {
    expect(state.eventCount).toBe(35);
    expect(state.eventCounts['lesson.recorded']).toBe(8);
    expect(state.eventCounts['status.changed']).toBe(5);
    expect(state.firstEventAt).toBe(utc('15:28'));
    expect(state.lastEventAt).toBe(utc('10:33', '2025-04-06'));
  });

  it('is JSON-serialisable as is', () => {
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('gives the same state folded incrementally in order', () => {
    let incremental = initialIncidentState('inc-1');
    for (const event of orderEvents(fixture)) {
      incremental = evolve(incremental, event);
    }
    expect(incremental).toEqual(state);
  });

});
