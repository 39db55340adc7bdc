// The chaos run's traffic, and the generator's own index of it: which incident each event is meant for.
//
// Incidents of 40 services, roughly in event-time order (chaos/lib/incident.mjs builds each). Into the mix:
// - followers: an incident that starts minutes after the previous incident of its service resolved, while
//   that one's follow-ups (keyed) still come in: two incidents of one service interleaved in time, told
//   apart by their keys only. (Two incidents of one service both open at once are one incident by EVENTS.md
//   rule 2: an event whose keys are not linked yet joins the open window of its service.)
// - late events (sent 300-3000 places after their event-time position), late openers (an incident's first
//   alert sent after later events of it), wrong milestones retracted (some retractions sent before the event
//   they retract), impact starts before the alert, merges of two incidents of different services
//   (`incident.merged` after both ended), and notes about a service that never has an incident.
import { incidentEvents, iso } from './incident.mjs';
import { random } from './util.mjs';

const SERVICES = 40;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const SLOT_MS = 6 * 3600_000;
const MINUTE = 60_000;
const LATE_SHARE = 0.02;
const ORPHAN_SHARE = 0.005;
const FOLLOW_SHARE = 0.25;
const LATE_OPENER_SHARE = 0.05;
const IMPACT_SHARE = 0.4;
const RETRACT_SHARE = 0.1;
const MERGE_SHARE = 0.02;
/** Room kept for one more incident's events (main sequence up to 30, and its extras). */
const LARGEST_INCIDENT = 40;

const lateBy = (rnd) => 300 + Math.floor(rnd() * 2700);

/**
 * `count` unique events in sending order. Ids embed `runId`, so no two runs share one. Returns {events,
 * expected: Map(event id -> index of the incident it is meant for; orphans absent), mergedInto: Map(index of
 * the incident merged away -> index of its target), counts}.
 */
export function generateEvents(count, { runId, seed }) {
  const rnd = random(seed);
  const events = [];
  const expected = new Map();
  const mergedInto = new Map();
  const counts = { incidents: 0, followers: 0, impactStarts: 0, retractions: 0, retractionsFirst: 0, merges: 0, late: 0, lateOpeners: 0, orphans: 0 };
  const followed = new Set(); // indexes whose next incident of the service follows right after
  const resolvedAt = new Map();
  const mergeTarget = new Map(); // index of the incident to merge -> its target, once the target was generated
  const lastAt = new Map();
  const retractions = []; // {wrongId, retractionId}
  const orphan = () => {
    events.push({ id: `chaos-${runId}-orphan-${counts.orphans}`, type: 'note.added', occurredAt: iso(T0 + Math.floor(rnd() * 30 * 86_400_000)), source: 'api', service: 'chaos-orphan', data: { text: `orphan ${counts.orphans}` } });
    counts.orphans += 1;
  };
  for (let index = 0; events.length + LARGEST_INCIDENT <= count; ) {
    if (rnd() < ORPHAN_SHARE * 20 && counts.orphans < count * ORPHAN_SHARE) {
      orphan();
      continue;
    }
    const service = `chaos-svc-${String(index % SERVICES).padStart(2, '0')}`;
    const follower = followed.has(index - SERVICES);
    const leadMs = follower ? (2 + Math.floor(rnd() * 9)) * MINUTE : null;
    const startMs = follower ? resolvedAt.get(index - SERVICES) + leadMs : T0 + Math.floor(index / SERVICES) * SLOT_MS + (index % SERVICES) * MINUTE;
    const merging = mergeTarget.has(index);
    // A merge takes two incidents nobody follows or precedes: the target's window could otherwise grow over a follower.
    const mayMerge = !follower && !merging && !followed.has(index + 1 - SERVICES);
    const startsMerge = mayMerge && rnd() < MERGE_SHARE;
    if (!follower && !merging && !startsMerge && rnd() < FOLLOW_SHARE) followed.add(index);
    const plan = { service, startMs, size: 14 + Math.floor(rnd() * 17), followed: followed.has(index), leadMs, impact: rnd() < IMPACT_SHARE, retract: rnd() < RETRACT_SHARE };
    const made = incidentEvents(runId, index, plan, rnd);
    for (const event of made.events) expected.set(event.id, index);
    events.push(...made.events);
    resolvedAt.set(index, made.resolvedAtMs);
    lastAt.set(index, made.lastAtMs);
    if (startsMerge) mergeTarget.set(index + 1, { index, key: made.key });
    if (merging) {
      // The two were one incident: a person says so once both ended.
      const target = mergeTarget.get(index);
      const merge = {
        id: `chaos-${runId}-${index}-merge`,
        type: 'incident.merged',
        occurredAt: iso(Math.max(made.lastAtMs, lastAt.get(target.index)) + 5 * MINUTE),
        source: 'api',
        service,
        incidentKey: made.key,
        actor: 'incident-commander',
        data: { into: target.key },
      };
      events.push(merge);
      expected.set(merge.id, index);
      mergedInto.set(index, target.index);
      counts.merges += 1;
    }
    if (made.retractionId) retractions.push({ wrongId: made.wrongId, retractionId: made.retractionId });
    counts.incidents += 1;
    counts.followers += follower ? 1 : 0;
    counts.impactStarts += plan.impact ? 1 : 0;
    index += 1;
  }
  while (events.length < count) orphan();
  counts.retractions = retractions.length;
  return { events: sendingOrder(events, retractions, rnd, counts), expected, mergedInto, counts };
}

/**
 * Roughly event-time order, as monitoring tools send (ties keep generation order); then some events move
 * 300-3000 places later: 2 % of all, 5 % of the openers, and half of the retracted events, which then come
 * after their retraction.
 */
function sendingOrder(events, retractions, rnd, counts) {
  const order = events.map((event, i) => ({ event, i, t: Date.parse(event.occurredAt) }));
  order.sort((a, b) => a.t - b.t || a.i - b.i);
  const position = new Map(order.map(({ event }, p) => [event.id, p]));
  const retractedFirst = new Map();
  for (const { wrongId, retractionId } of retractions) {
    if (rnd() < 0.5) retractedFirst.set(wrongId, position.get(retractionId));
  }
  counts.retractionsFirst = retractedFirst.size;
  const placed = order.map(({ event }, p) => {
    if (retractedFirst.has(event.id)) return { event, key: retractedFirst.get(event.id) + 1 + Math.floor(rnd() * 1500) + 0.5 };
    const opener = event.id.endsWith('-0');
    const late = !event.id.includes('-orphan-') && rnd() < (opener ? LATE_OPENER_SHARE : LATE_SHARE);
    if (late) counts[opener ? 'lateOpeners' : 'late'] += 1;
    return { event, key: p + (late ? lateBy(rnd) + 0.5 : 0) };
  });
  placed.sort((a, b) => a.key - b.key);
  return placed.map((p) => p.event);
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
