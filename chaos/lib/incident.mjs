// One generated incident: realistic events (alert, page, ack, status changes, impact, root cause, resolution,
// lessons), each a unique, valid envelope (docs/reference/EVENTS.md) meant for this incident alone.
//
// Which incident an event lands in is decided by EVENTS.md's rules, so the events are built for the rules to
// keep each incident apart from its neighbours: every event after the resolution carries the incident's key
// (the window of a resolved incident is closed, and the next incident of the service may already be running),
// and key-less events only fall inside the incident's own open window.
const STEP_MS = 2 * 60_000;
const MINUTE = 60_000;

export const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * `plan`: {service, startMs, size (the main sequence, 14-30), followed (the next incident of the service starts
 * within minutes of this one's resolution, so its follow-ups run alongside it), leadMs (how long after the
 * previous incident of the service resolved this one starts; null when long after), impact, retract}.
 * Returns {events, key, resolvedAtMs, lastAtMs, wrongId, retractionId}.
 */
export function incidentEvents(runId, index, plan, rnd) {
  const { service } = plan;
  const key = `CHAOS-${runId}-${index}`;
  // A second key, as a paging tool's dedup key: the page events carry only this one (rule 1 over every key).
  const group = `group:chaos-${runId}-${index}`;
  const actor = `oncall-${index % 7}`;
  const envelope = (id, type, atMs, data, keys) => ({
    id: `chaos-${runId}-${index}-${id}`,
    type,
    occurredAt: iso(atMs),
    source: keys === 'page' ? 'pagerduty' : keys ? 'alertmanager' : 'api',
    service,
    ...(keys === true || keys === 'alert' ? { incidentKey: key } : {}),
    ...(keys === 'alert' || keys === 'page' ? { correlationKeys: [group] } : {}),
    actor,
    data,
  });
  const head = [
    ['alert.triggered', { alertName: `HighErrorRate${index % 13}`, severity: 'critical', fingerprint: `fp-${index}`, labels: { service, env: 'prod' } }, 'alert'],
    ['page.sent', { responder: actor, escalationPolicy: 'primary' }, 'page'],
    ['page.acknowledged', { responder: actor }, 'page'],
    ['status.changed', { status: 'investigating', note: 'looking' }, false],
    ['severity.changed', { severity: ['P1', 'P2', 'P3'][index % 3] }, true],
    ['service.impacted', { service: `chaos-dep-${index % 5}` }, false],
    ['impact.measured', { metric: 'error_rate', unit: '%', peak: 5 + (index % 40), baseline: '<1' }, true],
  ];
  const resolution = [
    ['root_cause.identified', { summary: `cache bug ${index}`, category: 'software', contributingFactors: ['no canary'] }, true],
    ['mitigation.applied', { action: 'rolled back' }, false],
    ['status.changed', { status: 'mitigated' }, true],
    ['status.changed', { status: 'monitoring' }, false],
    ['status.changed', { status: 'resolved', note: 'fixed' }, true],
  ];
  const followUps = [
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
  const mainLength = Math.max(plan.size, head.length + resolution.length + followUps.length);
  while (head.length + middle.length + resolution.length + followUps.length < mainLength) middle.push(fillers[Math.floor(rnd() * fillers.length)]());
  const sequence = [...head, ...middle, ...resolution];
  // Whole steps apart with under a minute of jitter: the sequence keeps its order in event time.
  const at = (n) => plan.startMs + n * STEP_MS + Math.floor(rnd() * 60) * 1000;
  const events = sequence.map(([type, data, keys], n) => envelope(n, type, at(n), data, keys));
  const resolvedAtMs = Date.parse(events.at(-1).occurredAt);

  // After the resolution: keyed, and spread over the next 40 minutes when the next incident of the service
  // starts meanwhile (its events and these interleave in time; only the keys tell them apart).
  const extra = plan.followed ? [['note.added', { text: `post-incident review ${index}` }, true], ['note.added', { text: `timeline checked ${index}` }, true]] : [];
  const after = [...followUps, ...extra];
  const afterTimes = plan.followed
    ? after.map(() => resolvedAtMs + (1 + Math.floor(rnd() * 40)) * MINUTE + Math.floor(rnd() * 60) * 1000).sort((a, b) => a - b)
    : after.map((_, i) => at(sequence.length + i));
  after.forEach(([type, data, keys], i) => events.push(envelope(sequence.length + i, type, afterTimes[i], data, keys)));

  if (plan.impact) {
    // Users were hit before the alert. Keyed when the previous incident of the service resolved minutes ago
    // (its window may still cover the minutes before this one): a key-less event there would be that one's.
    const leadMinutes = 1 + Math.floor(rnd() * (plan.leadMs === null ? 20 : Math.max(1, plan.leadMs / MINUTE - 1)));
    events.push(envelope('impact', 'impact.started', plan.startMs - leadMinutes * MINUTE, { note: 'checkout errors began' }, plan.leadMs !== null || rnd() < 0.5));
  }
  let wrongId = null;
  let retractionId = null;
  if (plan.retract) {
    // A wrong milestone between steps 4 and 5, retracted by a person just before the resolution.
    const wrong = envelope('wrong', 'status.changed', plan.startMs + 4 * STEP_MS + 75_000, { status: 'identified', note: 'cause found (wrongly)' }, rnd() < 0.5);
    const retraction = envelope('retraction', 'event.retracted', plan.startMs + (sequence.length - 2) * STEP_MS + 75_000, { eventId: wrong.id, reason: 'the cause named was not it' }, false);
    events.push(wrong, retraction);
    wrongId = wrong.id;
    retractionId = retraction.id;
  }
  const lastAtMs = Math.max(...events.map((event) => Date.parse(event.occurredAt)));
  return { events, key, resolvedAtMs, lastAtMs, wrongId, retractionId };
}
