import { readFileSync } from 'node:fs';
import { buildImpactSummary, buildImpactSummaryView, NOT_RECORDED, parseEventLog, project } from '../index.js';

const events = parseEventLog(
  readFileSync(new URL('../../../../test/fixtures/order-service-cache-bug.ndjson', import.meta.url), 'utf8'),
).events;

describe('impact summary', () => {
  it('summarises the reference incident', () => {
    const summary = buildImpactSummary(project('inc-1', events));
    expect(summary).toMatchObject({
      title: 'Cache Invalidation Bug in order-service',
      severity: 'P3',
      durationMinutes: 139,
      usersAffected: 3808,
      affectedServices: ['order-service', 'auth-service', 'notification-service', 'analytics-pipeline'],
      requestsAffected: { peak: 81, baseline: null, unit: '%' },
      errorRate: { peak: 48, baseline: '<1', unit: '%' },
      latencyP99: { peak: 2549, baseline: 475, unit: 'ms' },
      customerErrors: 2481,
      supportTickets: 49,
      revenueUsd: 17556,
      mttaMinutes: 5,
      mttrMinutes: 139,
    });
    const lines = buildImpactSummaryView(summary).lines.map((entry) => entry.text);
    expect(lines).toContain('Error rate: 48% (baseline: <1%)');
    expect(lines).toContain('Estimated revenue impact: $17556');
  });

  it('gives null in JSON and not recorded in markdown where the log is silent', () => {
    const summary = buildImpactSummary(project('inc-2', events.slice(0, 1)));
    expect(summary.usersAffected).toBeNull();
    expect(summary.mttrMinutes).toBeNull();
    const view = buildImpactSummaryView(summary);
    expect(view.lines.find((l) => l.text.startsWith('Users affected'))).toEqual({ text: `Users affected: ${NOT_RECORDED}`, recorded: false });
    expect(view.lines.filter((l) => !l.recorded).length).toBeGreaterThan(5);
  });
});
