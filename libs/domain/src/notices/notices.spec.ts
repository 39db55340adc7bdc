import { readFileSync } from 'node:fs';
import { parseEventLog } from '../events/index.js';
import { orderEvents } from '../events/ordering.js';
import { evolve, initialIncidentState } from '../projection/index.js';
import { summarize, type IncidentSummary } from './incident-summary.js';
import { noticesBetween } from './notices.js';

const exampleLog = () => {
  const parsed = parseEventLog(readFileSync(new URL('../../../../test/fixtures/order-service-cache-bug.ndjson', import.meta.url), 'utf8'));
  return orderEvents(parsed.events);
};

describe('noticesBetween', () => {
  it('announces the example incident event by event: opened, each change of status, severity, services or keys, resolved', () => {
    let state = initialIncidentState('inc-1');
    let announced: IncidentSummary | null = null;
    const said: string[] = [];
    for (const event of exampleLog()) {
      state = evolve(state, event);
      const summary = summarize(state);
      for (const notice of noticesBetween(announced, summary)) said.push(`${event.id} ${notice.type} ${notice.changed.join(',')}`);
      announced = summary;
    }
    expect(said).toEqual([
      'am-7f3c1a9e-firing incident.opened status,severity,services,title,keys',
      'api-declare-1 incident.updated severity,keys',
      'pd-Q0RIJJZL24RC6W-triggered incident.updated keys',
      'api-status-1 incident.updated status',
      'api-impacted-auth incident.updated services',
      'api-impacted-notify incident.updated services',
      'api-impacted-analytics incident.updated services',
      'api-status-2 incident.updated status',
      'api-status-3 incident.updated status',
      'api-status-4 incident.updated status',
      'api-status-5 incident.resolved status',
    ]);
    expect(announced).toMatchObject({ status: 'resolved', open: false, severity: 'P3', title: 'OrderServiceHighErrorRate', keys: ['INC-2025-0405-ORD', 'pagerduty:Q0RIJJZL24RC6W'] });
  });

  const summary = (overrides: Partial<IncidentSummary> = {}): IncidentSummary => ({
    id: 'inc-1', keys: [], title: null, status: 'triggered', open: true, severity: null, services: ['api'], team: null, startedAt: null, resolvedAt: null, milestones: [], ...overrides,
  });

  it('opens before it resolves when the first state seen is already resolved', () => {
    expect(noticesBetween(null, summary({ status: 'resolved', open: false })).map((n) => n.type)).toEqual(['incident.opened', 'incident.resolved']);
  });

  it('a reopening is an update, and a change of what is not announced is no notice', () => {
    expect(noticesBetween(summary({ status: 'resolved', open: false }), summary({ status: 'investigating' }))).toEqual([{ type: 'incident.updated', changed: ['status'] }]);
    expect(noticesBetween(summary(), summary({ team: 'payments', milestones: [{ name: 'On-call engineer paged', at: '2025-01-01T00:00:00.000Z' }] }))).toEqual([]);
  });
});
