import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { buildRcaView, correlateLog, parseEventLog, project, type CorrelatedIncident, type RcaView } from '../index.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const events = parseEventLog(read('../../../../test/fixtures/order-service-cache-bug.ndjson')).events;
const reference = read('../../../../test/fixtures/rca-2025-04-05-cache-invalidation-bug-order-service.md');

// Built in each test (beforeEach runs inside it), not at import: the mutation run (npm run mutation) knows which
// tests run which code only for code run inside a test.
let incident: CorrelatedIncident;
let view: RcaView;
beforeEach(() => {
  const [first] = correlateLog(events).incidents;
  if (!first) throw new Error('fixture log has no incident');
  incident = first;
  view = buildRcaView(project(incident.id, incident.events), { preparedOn: '2025-04-06' });
});

describe('buildRcaView on the reference log', () => {
  it('names the incident and its file like the reference', () => {
    expect(view.heading).toBe('2025-04-05 - Cache Invalidation Bug in order-service');
    expect(view.fileName).toBe('rca-2025-04-05-cache-invalidation-bug-order-service.md');
    expect(view.tags).toEqual(['rca', 'p3', 'application']);
    expect(view.author).toBe('Backend Team');
  });

  it('gives the reference summary sentence and impact lines', () => {
    expect(view.summary).toBe(
      'On 2025-04-05, the order-service service experienced a cache invalidation bug. The incident lasted approximately 139 minutes and affected 3808 users and 4 dependent services.',
    );
    expect(view.impact.map((line) => line.text)).toEqual([
      'Service degradation: 81% of requests affected',
      'Error rate spike: 48% (baseline: <1%)',
      'Latency increase: p99 went from 475ms to 2549ms',
    ]);
    expect(view.customerImpact.map((line) => line.text)).toEqual([
      '2481 customer-facing errors',
      '49 support tickets created',
      'Estimated revenue impact: $17556',
    ]);
  });

  it('gives key metrics and an appendix citing the events', () => {
    expect(view.keyMetrics.map((line) => line.text)).toEqual([
      'Time to detect: _not recorded_',
      'Time to acknowledge: 5 minutes',
      'Time to mitigate: 83 minutes',
      'Time to resolve: 139 minutes',
    ]);
    expect(view.appendix).toContainEqual({ figure: 'Duration (minutes)', value: '139', eventIds: 'am-7f3c1a9e-firing, api-status-5' });
    expect(view.appendix).toContainEqual({ figure: 'Severity', value: 'P3', eventIds: 'api-declare-1' });
    expect(view.appendix).toContainEqual({ figure: 'Time to detect (minutes)', value: '_not recorded_', eventIds: '_not recorded_' });
    expect(view.mermaid.entries[0]).toEqual({ period: '15h28', event: 'Monitoring alert triggered' });
  });

  it('renders, through a dumb template, every line of the reference document', () => {
    const template = Handlebars.compile(read('./reference-template.spec-fixture.hbs'), { noEscape: false });
    expect(template(view)).toBe(reference);
  });

  it('links the previous incident when the caller knows it', () => {
    const linked = buildRcaView(project(incident.id, incident.events), {
      preparedOn: '2025-04-06',
      related: { previous: { date: '2025-03-01', slug: 'stale-cache-order-service' } },
    });
    expect(linked.related[0]?.text).toBe('[[2025-03-01-stale-cache-order-service|Previous application incident]]');
  });
});
