import type { IncomingMessage, ServerResponse } from 'node:http';
import { Registry } from 'prom-client';
import { IngestMetrics } from './ingest-metrics.js';

const request = (url: string) => ({ url, originalUrl: url }) as IncomingMessage & { originalUrl: string };
const response = (statusCode: number) => ({ statusCode }) as ServerResponse;

describe('IngestMetrics', () => {
  let registry: Registry;
  let metrics: IngestMetrics;

  beforeEach(() => {
    registry = new Registry();
    metrics = new IngestMetrics(registry);
  });

  const values = async (name: string) => (await registry.getSingleMetric(name)!.get()).values;

  it('counts requests by endpoint and status, unknown paths as other, probes not at all', async () => {
    metrics.observe(request('/v1/events'), response(202));
    metrics.observe(request('/v1/events/?x=1'), response(202));
    metrics.observe(request('/v1/webhooks/pagerduty'), response(401));
    metrics.observe(request('/v1/nope/123'), response(404));
    metrics.observe(request('/health/ready'), response(200));
    metrics.observe(request('/metrics'), response(200));
    expect(await values('aftermath_ingest_requests_total')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ labels: { endpoint: '/v1/events', status: '202' }, value: 2 }),
        expect.objectContaining({ labels: { endpoint: '/v1/webhooks/pagerduty', status: '401' }, value: 1 }),
        expect.objectContaining({ labels: { endpoint: 'other', status: '404' }, value: 1 }),
      ]),
    );
    expect(await values('aftermath_ingest_requests_total')).toHaveLength(3);
  });

  it('counts a kept-aside body once per reason its parts give (a part without one is invalid)', async () => {
    metrics.recordKeptAside('alertmanager', [{}, {}, { kind: 'clock_skew' }]);
    metrics.recordKeptAside('grafana', [{ kind: 'invalid' }]);
    expect(await values('aftermath_kept_aside_total')).toEqual([
      expect.objectContaining({ labels: { source: 'alertmanager', reason: 'invalid' }, value: 1 }),
      expect.objectContaining({ labels: { source: 'alertmanager', reason: 'clock_skew' }, value: 1 }),
      expect.objectContaining({ labels: { source: 'grafana', reason: 'invalid' }, value: 1 }),
    ]);
  });

  it('counts events by source and outcome, with a bounded number of sources', async () => {
    metrics.recordProduce([{ source: 'alertmanager' }, { source: 'alertmanager' }, { source: 'api' }], 0.01, 'accepted');
    metrics.recordProduce([{ source: 'api' }], 0.5, 'unavailable');
    for (let i = 0; i < 60; i += 1) metrics.recordProduce([{ source: `s${i}` }], 0.001, 'accepted');
    const events = await values('aftermath_ingest_events_total');
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ labels: { source: 'alertmanager', outcome: 'accepted' }, value: 2 }),
        expect.objectContaining({ labels: { source: 'api', outcome: 'unavailable' }, value: 1 }),
        expect.objectContaining({ labels: { source: 'other', outcome: 'accepted' }, value: 12 }),
      ]),
    );
    expect(new Set(events.map((v) => v.labels.source)).size).toBe(51);
    const count = (await values('aftermath_ingest_produce_seconds')).find((v) => (v as { metricName?: string }).metricName === 'aftermath_ingest_produce_seconds_count');
    expect(count?.value).toBe(62);
  });
});
