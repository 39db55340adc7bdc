// A realistic, deterministic event mix: many incidents over ~50 services. Each incident opens with an
// alert.triggered carrying its incidentKey; a page with a second key (linked by the window rule), then
// status, note, impact, severity, resolution events follow, ending in status.changed resolved. A share of
// the events arrive late (out of order): some before the alert that opens their incident (they wait
// unattached, rule 4), some after the incident resolved (the incident is re-projected from the log).

export function rng(seed = 42) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SERVICE_NAMES = Array.from({ length: 50 }, (_, i) => `svc-${String(i).padStart(2, '0')}-${['api', 'orders', 'payments', 'search', 'auth'][i % 5]}`);

const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
const MINUTE = 60_000;

/** The events of one incident, in event-time order (10 events). */
export function incidentEvents(run, n, service, startMs) {
  const key = `INC-${run}-${n}`;
  const pd = `pagerduty:${run}-${n}`;
  const id = (k) => `${run}-${n}-${k}`;
  const at = (minutes) => iso(startMs + minutes * MINUTE);
  return [
    {
      id: id(0), type: 'alert.triggered', occurredAt: at(0), source: 'alertmanager', service, incidentKey: key,
      data: { alertName: `${service}HighErrorRate`, severity: 'critical', summary: `${service} 5xx ratio above 5% for 2 minutes`, fingerprint: `fp${n.toString(16)}`, labels: { alertname: `${service}HighErrorRate`, service, team: 'backend' } },
    },
    { id: id(1), type: 'page.sent', occurredAt: at(2), source: 'pagerduty', service, incidentKey: pd, data: { responder: 'Primary On-call', escalationPolicy: 'Backend' } },
    { id: id(2), type: 'page.acknowledged', occurredAt: at(5), source: 'pagerduty', service, incidentKey: pd, data: { responder: 'Primary On-call' } },
    { id: id(3), type: 'status.changed', occurredAt: at(6), source: 'api', service, incidentKey: key, actor: 'on-call', data: { status: 'investigating', note: 'Looking at the 5xx spike' } },
    { id: id(4), type: 'note.added', occurredAt: at(9), source: 'api', service, incidentKey: key, actor: 'on-call', data: { text: 'Error rate correlates with the 14:00 deploy' } },
    { id: id(5), type: 'impact.measured', occurredAt: at(11), source: 'api', service, incidentKey: key, data: { metric: 'error_rate', unit: '%', peak: 12.5, baseline: '<1' } },
    { id: id(6), type: 'severity.changed', occurredAt: at(12), source: 'api', service, incidentKey: key, data: { severity: 'P2' } },
    { id: id(7), type: 'status.changed', occurredAt: at(15), source: 'api', service, incidentKey: key, actor: 'on-call', data: { status: 'mitigated', note: 'Rolled back' } },
    { id: id(8), type: 'resolution.step', occurredAt: at(18), source: 'api', service, incidentKey: key, data: { description: 'Rolled back the deploy and flushed the cache' } },
    { id: id(9), type: 'status.changed', occurredAt: at(24), source: 'api', service, incidentKey: key, actor: 'on-call', data: { status: 'resolved' } },
  ];
}

export const EVENTS_PER_INCIDENT = 10;

/**
 * `count` events of `ceil(count / 10)` incidents spread over `services` services, in arrival order.
 * Incidents of one service start 3 h apart (so each alert opens a new incident); services are staggered.
 * `lateShare` of the events arrive 1-300 positions later than their event time says.
 */
export function generateEvents({ count, run, services = 50, lateShare = 0.05, seed = 7, startMs = Date.UTC(2025, 0, 1) }) {
  const random = rng(seed);
  const names = SERVICE_NAMES.slice(0, services);
  const incidents = Math.ceil(count / EVENTS_PER_INCIDENT);
  const all = [];
  for (let n = 0; n < incidents; n += 1) {
    const s = n % names.length;
    const round = Math.floor(n / names.length);
    const startMs0 = startMs + round * 180 * MINUTE + s * 97_000;
    for (const event of incidentEvents(run, n, names[s], startMs0)) all.push(event);
  }
  all.length = count;
  all.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.id < b.id ? -1 : 1));
  return delaySome(all, lateShare, random);
}

/**
 * An alert storm: `count` events of only `incidents` incidents (one per service), each opened by an alert
 * whose incidentKey every later event carries: alerts firing (each could open an incident of its own; a
 * distinct fingerprint each, or `alerts` of them flapping), some resolving, notes; 2 s apart, never resolved. The size of the incidents
 * a batch touches grows with `count`, which is what this shape measures.
 */
export function stormEvents({ count, run, incidents = 5, alerts = 0, lateShare = 0.05, seed = 7, startMs = Date.UTC(2025, 0, 1) }) {
  const random = rng(seed);
  const all = [];
  for (let i = 0; all.length < count; i += 1) {
    const n = i % incidents;
    const step = Math.floor(i / incidents);
    const service = SERVICE_NAMES[n % SERVICE_NAMES.length];
    const key = `STORM-${run}-${n}`;
    const base = { id: `${run}-${n}-${step}`, occurredAt: iso(startMs + n * 1000 + step * 2000), source: 'alertmanager', service, incidentKey: key };
    // `alerts` > 0: that many distinct alerts flapping (an alert's firing set stays bounded); 0: every alert new.
    const alert = (k) => ({ alertName: `${service}Saturation${k % 97}`, severity: 'warning', summary: `${service} saturation`, fingerprint: `fp-${run}-${n}-${alerts > 0 ? k % alerts : k}` });
    if (step % 10 === 9) all.push({ ...base, type: 'alert.resolved', data: alert(step - 5) });
    else if (step % 10 === 4) all.push({ ...base, source: 'api', type: 'note.added', actor: 'on-call', data: { text: `still firing (${step})` } });
    else all.push({ ...base, type: 'alert.triggered', data: alert(step) });
  }
  return delaySome(all, lateShare, random);
}

/** Moves a share of the events 1-300 positions later in the arrival order. */
export function delaySome(events, share, random) {
  if (share <= 0) return events;
  const out = [];
  const held = []; // [releaseAtIndex, event]
  for (let i = 0; i < events.length; i += 1) {
    while (held.length > 0 && held[0][0] <= i) out.push(held.shift()[1]);
    if (random() < share) {
      const release = i + 1 + Math.floor(random() * 300);
      const at = held.findIndex(([r]) => r > release);
      if (at === -1) held.push([release, events[i]]);
      else held.splice(at, 0, [release, events[i]]);
    } else out.push(events[i]);
  }
  for (const [, event] of held) out.push(event);
  return out;
}

/** Counts how many events arrive before an event of the same incident with an earlier event time. */
export function outOfOrderCount(events) {
  const latest = new Map();
  let late = 0;
  for (const event of events) {
    const incident = event.id.slice(0, event.id.lastIndexOf('-'));
    const seen = latest.get(incident);
    if (seen !== undefined && seen > event.occurredAt) late += 1;
    else latest.set(incident, event.occurredAt);
  }
  return late;
}

/** Kafka messages as ingest produces them: key = service, value = the envelope as JSON. */
export const toMessage = (event) => ({ key: event.service, value: JSON.stringify(event) });

/**
 * Produces messages as fast as the broker takes them: `perSend` messages per send, `inFlight` sends
 * concurrently, idempotent producer with acks=-1 like ingest.
 */
export async function produceAll(kafka, topic, messages, { perSend = 1000, inFlight = 4 } = {}) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  await producer.connect();
  const started = performance.now();
  try {
    let next = 0;
    const worker = async () => {
      while (next < messages.length) {
        const from = next;
        next += perSend;
        await producer.send({ topic, acks: -1, messages: messages.slice(from, from + perSend) });
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
  } finally {
    await producer.disconnect();
  }
  return (performance.now() - started) / 1000;
}
