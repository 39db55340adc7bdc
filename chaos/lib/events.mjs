// The chaos run's traffic: realistic incidents (alert, page, ack, status changes, impact, root cause,
// resolution, lessons), each a few dozen unique, valid envelopes (docs/reference/EVENTS.md), roughly
// in event-time order, some without an incidentKey (correlated by service window), a few sent late
// (after later events of their incident: the re-projection path) and a few that never join an incident.
import { random } from './util.mjs';

const SERVICES = 40;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const SLOT_MS = 6 * 3600_000; // incidents of one service never overlap (nor their correlation margins)
const STEP_MS = 2 * 60_000;
const LATE_SHARE = 0.02;
const ORPHAN_SHARE = 0.005;

const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

function incidentEvents(runId, index, size, rnd) {
  const service = `chaos-svc-${String(index % SERVICES).padStart(2, '0')}`;
  const key = `CHAOS-${runId}-${index}`;
  const start = T0 + Math.floor(index / SERVICES) * SLOT_MS + (index % SERVICES) * 60_000;
  const base = (n, type, data, keyed) => ({
    id: `chaos-${runId}-${index}-${n}`,
    type,
    occurredAt: iso(start + n * STEP_MS + Math.floor(rnd() * 60) * 1000),
    source: keyed ? 'alertmanager' : 'api',
    service,
    ...(keyed ? { incidentKey: key } : {}),
    actor: `oncall-${index % 7}`,
    data,
  });
  const head = [
    ['alert.triggered', { alertName: `HighErrorRate${index % 13}`, severity: 'critical', fingerprint: `fp-${index}`, labels: { service, env: 'prod' } }, true],
    ['page.sent', { responder: `oncall-${index % 7}`, escalationPolicy: 'primary' }, true],
    ['page.acknowledged', { responder: `oncall-${index % 7}` }, true],
    ['status.changed', { status: 'investigating', note: 'looking' }, false],
    ['severity.changed', { severity: ['P1', 'P2', 'P3'][index % 3] }, true],
    ['service.impacted', { service: `chaos-dep-${index % 5}` }, false],
    ['impact.measured', { metric: 'error_rate', unit: '%', peak: 5 + (index % 40), baseline: '<1' }, true],
  ];
  const tail = [
    ['root_cause.identified', { summary: `cache bug ${index}`, category: 'software', contributingFactors: ['no canary'] }, true],
    ['mitigation.applied', { action: 'rolled back' }, false],
    ['status.changed', { status: 'mitigated' }, true],
    ['status.changed', { status: 'monitoring' }, false],
    ['status.changed', { status: 'resolved', note: 'fixed' }, true],
    ['lesson.recorded', { kind: index % 2 ? 'went_well' : 'to_improve', text: `lesson ${index}` }, true],
    ['action_item.added', { priority: 'P2', action: `add canary ${index}`, owner: 'team-a', dueDate: '2025-03-01' }, true],
  ];
  const fillers = [
    () => ['note.added', { text: `update ${Math.floor(rnd() * 1e6)}` }, rnd() < 0.5],
    () => ['customer_impact.reported', { usersAffected: Math.floor(rnd() * 5000), supportTickets: Math.floor(rnd() * 40) }, true],
    () => ['resolution.step', { description: `step ${Math.floor(rnd() * 1e6)}` }, true],
    () => ['impact.measured', { metric: 'latency_p99', unit: 'ms', peak: Math.floor(rnd() * 3000), baseline: 250 }, false],
  ];
  const middle = [];
  while (head.length + middle.length + tail.length < size) middle.push(fillers[Math.floor(rnd() * fillers.length)]());
  return [...head, ...middle, ...tail].slice(0, size).map(([type, data, keyed], n) => base(n, type, data, keyed));
}

/**
 * `count` unique events in sending order. Ids embed `runId`, so no two runs share one.
 * Returns {events, incidents, late, orphans}.
 */
export function generateEvents(count, { runId, seed }) {
  const rnd = random(seed);
  const events = [];
  let incidents = 0;
  let orphans = 0;
  while (events.length < count) {
    if (rnd() < ORPHAN_SHARE * 20 && orphans < count * ORPHAN_SHARE) {
      // a note about a service that never has an incident: stored, listed as unattached, never dropped
      events.push({
        id: `chaos-${runId}-orphan-${orphans}`,
        type: 'note.added',
        occurredAt: iso(T0 + Math.floor(rnd() * 30 * 86_400_000)),
        source: 'api',
        service: 'chaos-orphan',
        data: { text: `orphan ${orphans}` },
      });
      orphans += 1;
      continue;
    }
    const size = Math.min(count - events.length, 14 + Math.floor(rnd() * 16));
    events.push(...incidentEvents(runId, incidents, size, rnd));
    incidents += 1;
  }
  // Roughly event-time order, as monitoring tools send; ties keep generation order.
  const order = events.map((event, i) => ({ event, i, t: Date.parse(event.occurredAt) }));
  order.sort((a, b) => a.t - b.t || a.i - b.i);
  // A few events arrive late: 300-3000 places further on, after later events of their incident (often
  // after its resolution) were stored. Never an incident's opener.
  let late = 0;
  const placed = order.map(({ event }, position) => {
    const isLate = !event.id.endsWith('-0') && !event.id.includes('-orphan-') && rnd() < LATE_SHARE;
    if (isLate) late += 1;
    return { event, key: position + (isLate ? 300 + Math.floor(rnd() * 2700) : 0) + 0.5 * isLate };
  });
  placed.sort((a, b) => a.key - b.key);
  return { events: placed.map((p) => p.event), incidents, late, orphans };
}

/** Splits `events` into request batches of `min`..`max` envelopes. */
export function toBatches(events, { min, max, seed }) {
  const rnd = random(seed ^ 0x5bd1e995);
  const batches = [];
  for (let i = 0; i < events.length; ) {
    const size = min + Math.floor(rnd() * (max - min + 1));
    batches.push(events.slice(i, i + size));
    i += size;
  }
  return batches;
}
