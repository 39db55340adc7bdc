#!/usr/bin/env node
// Web workspace benchmark: the page of an incident of 10,000 events. Stores such an incident through the
// real pipeline (ingest -> Kafka -> timeline -> renderer), then asks the web workspace for its pages and
// times them (server time: the round trip on loopback, the page rendered in full) and weighs them.
// Baseline in the same run: the timeline's own answer with the incident's events
// (GET /v1/incidents/:id/events), the data the page is made from.
//
// Options: --events=10000 (BENCH_EVENTS), --requests=20 (per page, after 2 warm-up requests).
import { gzipSync } from 'node:zlib';
import { Report, option, percentiles, round, runBench, waitFor } from './lib/common.mjs';
import { assertBuilt, startService } from './lib/services.mjs';

const EVENTS = option('events', 10_000);
const REQUESTS = option('requests', 20);
const KEY = 'INC-BENCH-WEB';

/** One incident's log: an alert, then alerts flapping, pages, notes and status changes, a minute apart. */
function incidentLog(count) {
  const start = Date.parse('2025-06-01T00:00:00Z');
  const at = (i) => new Date(start + i * 60_000).toISOString();
  const base = (i, type, data, source = 'api') => ({ id: `bench-web-${i}`, type, occurredAt: at(i), source, service: 'checkout', incidentKey: KEY, data });
  return Array.from({ length: count }, (_, i) => {
    if (i === 0) return base(i, 'alert.triggered', { alertName: 'CheckoutErrors', severity: 'critical', summary: 'checkout 5xx above 5%' }, 'alertmanager');
    switch (i % 5) {
      case 0:
        return base(i, 'alert.triggered', { alertName: `CheckoutAlert${i % 40}`, summary: 'flapping alert' }, 'alertmanager');
      case 1:
        return base(i, 'alert.resolved', { alertName: `CheckoutAlert${(i - 1) % 40}` }, 'alertmanager');
      case 2:
        return base(i, 'page.sent', { responder: 'Checkout On-call' }, 'pagerduty');
      default:
        return { ...base(i, 'note.added', { text: `Observation ${i}: the error rate is still above the threshold on some pods` }), actor: 'on-call' };
    }
  });
}

async function timed(url) {
  const started = performance.now();
  const response = await fetch(url);
  const body = Buffer.from(await response.arrayBuffer());
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} after ${Math.round(ms)} ms: ${body.toString('utf8').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(-400)}`);
  return { ms, bytes: body.length, gzipBytes: gzipSync(body).length, body };
}

async function measure(url) {
  for (let i = 0; i < 2; i += 1) await timed(url);
  const samples = [];
  let last;
  for (let i = 0; i < REQUESTS; i += 1) samples.push((last = await timed(url)).ms);
  return { ...percentiles(samples, [50, 95]), bytes: last.bytes, gzipBytes: last.gzipBytes, body: last.body };
}

await runBench('web', async (env) => {
  assertBuilt();
  const report = new Report('web', `the incident page of an incident of ${EVENTS} events vs the timeline's events answer it is made from`);
  report.options({ events: EVENTS, requests: REQUESTS });
  await env.createDatabase();
  await env.createTopics();
  const ingest = await startService('ingest', env.env);
  const timeline = await startService('timeline', env.env);
  const renderer = await startService('renderer', env.env);
  const web = await startService('web', env.env, { extraEnv: { INGEST_URL: ingest.url, TIMELINE_URL: timeline.url, RENDERER_URL: renderer.url, LOG_LEVEL: 'warn' } });
  const services = [web, renderer, timeline, ingest];
  env.onCleanup(async () => {
    for (const service of services) await service.stop();
  });

  const log = incidentLog(EVENTS);
  for (let i = 0; i < log.length; i += 1000) {
    const response = await fetch(`${ingest.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(log.slice(i, i + 1000)) });
    if (response.status !== 202) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
  }
  const state = await waitFor(async () => {
    const response = await fetch(`${timeline.url}/v1/incidents/${KEY}`);
    const body = response.ok ? await response.json() : null;
    return body && body.eventCount === EVENTS ? body : null;
  }, `the timeline to hold all ${EVENTS} events`, 300_000, 500);

  const baseline = await measure(`${timeline.url}/v1/incidents/${state.id}/events`);
  console.log(`# baseline measured: p50 ${baseline.p50} ms, ${Math.round(baseline.bytes / 1024)} KiB`);
  const page = await measure(`${web.url}/incidents/${state.id}`);
  const first = await measure(`${web.url}/incidents/${state.id}?from=0`);
  const rows = (page.body.toString('utf8').match(/data-event-id=/g) ?? []).length;
  report.info('rowsOnPage', rows);
  console.log(`# the page shows ${rows} of ${EVENTS} timeline rows (the latest window)`);

  report.figure({ key: 'pageP50', label: 'incident page, server time p50', value: page.p50, unit: 'ms', baseline: { label: 'timeline events answer p50', value: baseline.p50 } });
  report.figure({ key: 'pageP95', label: 'incident page, server time p95', value: page.p95, unit: 'ms', baseline: { label: 'timeline events answer p95', value: baseline.p95 } });
  report.figure({ key: 'firstWindowP50', label: 'first window (?from=0), server time p50', value: first.p50, unit: 'ms', baseline: { label: 'timeline events answer p50', value: baseline.p50 } });
  report.figure({ key: 'pageBytes', label: 'incident page payload', value: round(page.bytes / 1024, 1), unit: 'KiB', baseline: { label: 'timeline events answer', value: round(baseline.bytes / 1024, 1) } });
  report.figure({ key: 'pageGzipBytes', label: 'incident page payload, gzip', value: round(page.gzipBytes / 1024, 1), unit: 'KiB', baseline: { label: 'timeline events answer, gzip', value: round(baseline.gzipBytes / 1024, 1) } });
  report.figure({ key: 'webPeakMB', label: 'web peak resident memory', value: round(web.peakMB(), 1), unit: 'MB' });
  report.write();
});
