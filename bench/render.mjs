// Render benchmark (issue 5): `npm run build && node bench/render.mjs [--events=10000] [--runs=15]`.
// Imports the BUILT modules (no TypeScript loader needed) and prints figures only, no pass/fail.
// Needs no Kafka or database: it times the pure path (correlate, project, view, render) and the CLI.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildRcaView, correlateLog, parseEvent, project } from '@app/domain';
import { renderRca } from '../apps/renderer/dist/rendering/index.js';

const option = (name, fallback) => {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return flag ? Number(flag.slice(name.length + 3)) : fallback;
};
const EVENTS = option('events', 10_000);
const RUNS = option('runs', 15);
const root = fileURLToPath(new URL('..', import.meta.url));
const start = Date.parse('2025-04-05T15:28:00Z');

/** The i-th event of one big incident: every type the RCA reads, so every section has content. */
function envelope(i) {
  const occurredAt = new Date(start + i * 1000).toISOString();
  const base = { id: `bench-${i}`, occurredAt, source: 'api', service: 'order-service', incidentKey: 'INC-BENCH' };
  if (i === 0) return { ...base, type: 'alert.triggered', data: { alertName: 'BenchAlert' } };
  const kinds = [
    { type: 'note.added', data: { text: `note ${i} with | pipes and <tags>` } },
    { type: 'service.impacted', data: { service: `dep-${i % 50}` } },
    { type: 'impact.measured', data: { metric: 'error_rate', unit: '%', peak: i % 100, baseline: 1 } },
    { type: 'resolution.step', data: { description: `step ${i}` } },
    { type: 'lesson.recorded', data: { kind: i % 2 ? 'went_well' : 'to_improve', text: `lesson ${i}` } },
    { type: 'action_item.added', data: { priority: 'P2', action: `action ${i}`, owner: 'Team', dueDate: '2025-05-01' } },
    { type: 'status.changed', data: { status: ['investigating', 'identified', 'mitigated', 'monitoring'][i % 4] } },
    { type: 'customer_impact.reported', data: { usersAffected: i } },
  ];
  return { ...base, ...kinds[i % kinds.length] };
}

function parsed(i) {
  const result = parseEvent(envelope(i));
  if (!result.ok) throw new Error(`bench event ${i} invalid: ${JSON.stringify(result.issues)}`);
  return result.event;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
function report(label, samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(`${label}: median ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms (${samples.length} runs)`);
}

function time(fn) {
  const t0 = performance.now();
  const value = fn();
  return [performance.now() - t0, value];
}

const events = Array.from({ length: EVENTS }, (_, i) => parsed(i));
const [correlateMs, log] = time(() => correlateLog(events));
const incident = log.incidents[0];
console.log(`${EVENTS} events -> ${log.incidents.length} incident(s), ${incident.events.length} events in it; correlateLog once: ${correlateMs.toFixed(1)} ms`);

const samples = { project: [], view: [], render: [], total: [] };
let bytes = 0;
for (let run = 0; run < RUNS; run += 1) {
  const [projectMs, state] = time(() => project(incident.id, incident.events));
  const [viewMs, view] = time(() => buildRcaView(state, { preparedOn: '2025-04-06' }));
  const [renderMs, markdown] = time(() => renderRca(view));
  bytes = markdown.length;
  samples.project.push(projectMs);
  samples.view.push(viewMs);
  samples.render.push(renderMs);
  samples.total.push(projectMs + viewMs + renderMs);
}
for (const [label, values] of Object.entries(samples)) report(`  ${label}`, values);
console.log(`  markdown: ${(bytes / 1024).toFixed(0)} KiB`);

// The CLI as a whole process on the 35-event example, next to a bare `node -e 0` for scale:
// node's own start-up is most of it, and it varies with the machine's load.
function spawnTimes(args) {
  const samples = [];
  for (let run = 0; run < 10; run += 1) {
    const [ms, result] = time(() => spawnSync(process.execPath, args, { cwd: root }));
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
    samples.push(ms);
  }
  return samples;
}
report('bare node process (baseline)', spawnTimes(['-e', '0']));
report('rca CLI process on the 35-event example', spawnTimes(['apps/renderer/dist/cli/rca.js', 'test/fixtures/order-service-cache-bug.ndjson', '--prepared-on', '2025-04-06']));
