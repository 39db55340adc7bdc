import fc from 'fast-check';
import {
  continueCorrelation,
  correlateLog,
  correlationKeysOf,
  correlationSettings,
  incidentIdFor,
  orderEvents,
  parseEvent,
  windowGroupOf,
  type CorrelatedLog,
  type IncidentEvent,
} from '../index.js';
import { generatedLog, generatedSettings } from '../../test/generated-logs.js';

function event(id: string, type: string, minute: number, extra: Record<string, unknown> = {}): IncidentEvent {
  const data = type.startsWith('alert.') ? { alertName: 'A', fingerprint: `f${id}` } : type === 'status.changed' ? { status: 'resolved' } : { text: 'n' };
  const result = parseEvent({ id, type, occurredAt: new Date(Date.UTC(2025, 3, 5) + minute * 60_000).toISOString(), source: 'test', service: 'orders', data, ...extra });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}

const snapshotsOf = (log: CorrelatedLog) => log.incidents.map((incident) => ({ id: incident.id, snapshot: incident.snapshot! }));
const placement = (log: CorrelatedLog) => {
  const at = new Map<string, string | null>();
  for (const incident of log.incidents) for (const e of incident.events) at.set(e.id, incident.id);
  for (const e of log.unattached) at.set(e.id, null);
  return at;
};

describe('continueCorrelation: a batch after everything stored, from snapshots alone', () => {
  it('places a storm after its opening alert, as the whole log does, and its snapshot is the whole log\'s', () => {
    const opened = [event('a0', 'alert.triggered', 0, { incidentKey: 'K' }), event('r0', 'alert.resolved', 5, { data: { alertName: 'A', fingerprint: 'fa0' } })];
    const storm = Array.from({ length: 50 }, (_, i) => event(`s${i}`, i % 5 === 4 ? 'alert.resolved' : 'alert.triggered', 10 + i, { incidentKey: 'K' }));
    const before = correlateLog(opened);
    const continued = continueCorrelation(snapshotsOf(before), storm);
    if (!continued.ok) throw new Error(continued.reason);
    const whole = correlateLog([...opened, ...storm]);
    expect(continued.incidents.map((incident) => [incident.id, incident.stored, incident.events.length])).toEqual([[before.incidents[0]!.id, true, 50]]);
    expect(continued.incidents[0]!.snapshot).toEqual(whole.incidents[0]!.snapshot);
    expect(continued.freshFromMs).toBe(Date.UTC(2025, 3, 5) + 10 * 60_000);
  });

  it('refuses what a snapshot cannot answer: an earlier event, a correction, an alias, a key two incidents share, other settings', () => {
    // x carries both keys: it joins M's incident, which started first, and links K to it too.
    const stored = snapshotsOf(
      correlateLog([
        event('m', 'alert.triggered', 0, { incidentKey: 'M', service: 'payments' }),
        event('k', 'alert.triggered', 1, { incidentKey: 'K' }),
        event('x', 'note.added', 600, { incidentKey: 'M', correlationKeys: ['K'] }),
      ]),
    );
    expect(stored).toHaveLength(2);
    const reason = (fresh: IncidentEvent[], options = {}) => {
      const result = continueCorrelation(stored, fresh, options);
      return result.ok ? 'continued' : result.reason;
    };
    expect(reason([event('late', 'note.added', 599)])).toMatch(/late is not after the latest event/);
    expect(reason([event('r', 'event.retracted', 700, { data: { eventId: 'k', reason: 'wrong' } })])).toMatch(/correction/);
    expect(reason([event('n', 'note.added', 700, { incidentKey: incidentIdFor({ id: 'b-gone' }) })])).toMatch(/no stored incident's id/);
    expect(reason([event('n', 'note.added', 700, { incidentKey: 'K' })])).toMatch(/several stored incidents carry/);
    expect(reason([event('n', 'note.added', 700, { incidentKey: 'M' })])).toBe('continued');
    expect(reason([event('n', 'note.added', 700)], { idleMinutes: 60 })).toMatch(/other settings/);
  });

  it('is correlateLog over the whole log whenever the store has nothing the checks look for', () => {
    let continuedRuns = 0;
    fc.assert(
      // Stored: the log up to a cut in event-time order, or (to show the order is checked) any part of it.
      fc.property(generatedLog, generatedSettings, fc.nat(), fc.option(fc.array(fc.boolean(), { minLength: 30, maxLength: 30 })), (log, options, cut, mask) => {
        const ordered = orderEvents(log);
        const split = cut % (ordered.length + 1);
        const storedEvents = mask ? ordered.filter((_, i) => mask[i]) : ordered.slice(0, split);
        const fresh = mask ? ordered.filter((_, i) => !mask[i]) : ordered.slice(split);
        const before = correlateLog(storedEvents, options);
        // An incident merged away keeps its window, which brings in its target (no snapshot): never continued.
        if (before.merged.length > 0) return;
        // As the timeline does: only the incidents the fresh events reach by a key or by a window.
        const settings = correlationSettings(options);
        const marginMs = settings.marginMinutes * 60_000;
        const reached = before.incidents.filter((incident) =>
          fresh.some((e) => {
            const keys = correlationKeysOf(e, settings);
            if (keys.includes(incident.id) || keys.some((key) => incident.keys.includes(key))) return true;
            const group = windowGroupOf(e.service, settings);
            const atMs = Date.parse(e.occurredAt);
            return group !== null && group === windowGroupOf(incident.service, settings) && atMs >= incident.firstAtMs - marginMs && atMs <= incident.windowEndMs;
          }),
        );
        if (reached.some((incident) => incident.snapshot === null)) return;
        const continued = continueCorrelation(snapshotsOf({ ...before, incidents: reached }), fresh, options);
        if (!continued.ok) return;
        // What the timeline checks against the store before it takes the continuation.
        const linked = new Set(continued.incidents.flatMap((incident) => [...incident.linked, ...(incident.stored ? [] : [incident.id])]));
        const freshIds = new Set(fresh.map((e) => e.id));
        // A stored event carrying a linked key, attached or not.
        if (storedEvents.some((e) => e.type !== 'event.retracted' && correlationKeysOf(e, settings).some((key) => linked.has(key)))) return;
        // Another incident decided at or after the first fresh event, holding an event in a resulting window.
        const inWindows = (e: IncidentEvent) => {
          const group = windowGroupOf(e.service, settings);
          const at = Date.parse(e.occurredAt);
          return continued.incidents.some((incident) => incident.windows.some((window) => window.group === group && at >= window.fromMs && at <= window.toMs));
        };
        // Another stored incident with an event at or after the first fresh one, and one in a group they read.
        const reachedIds = new Set(reached.map((incident) => incident.id));
        const inGroups = (e: IncidentEvent) => continued.groups.includes(windowGroupOf(e.service, settings) ?? '');
        const decidedLater = (incident: (typeof before.incidents)[number]) => incident.events.some((e) => Date.parse(e.occurredAt) >= continued.freshFromMs);
        if (before.incidents.some((incident) => !reachedIds.has(incident.id) && decidedLater(incident) && incident.events.some(inGroups))) return;
        for (const waiting of before.unattached) {
          if (waiting.type === 'event.retracted') {
            if (freshIds.has(waiting.data.eventId)) return;
            continue;
          }
          if (inWindows(waiting)) return;
        }
        if (storedEvents.some((e) => e.type === 'incident.merged' && linked.has(e.data.into))) return;
        continuedRuns += 1;
        const whole = correlateLog(log, options);
        const now = placement(whole);
        const then = placement(before);
        for (const e of storedEvents) expect([e.id, now.get(e.id)]).toEqual([e.id, then.get(e.id)]);
        const byId = new Map(continued.incidents.flatMap((incident) => incident.events.map((e) => [e.id, incident.id] as const)));
        for (const e of fresh) expect([e.id, now.get(e.id)]).toEqual([e.id, byId.get(e.id) ?? null]);
        for (const incident of continued.incidents) {
          const full = whole.incidents.find((candidate) => candidate.id === incident.id)!;
          expect(incident.snapshot).toEqual(full.snapshot);
          expect([incident.firstAtMs, incident.windowEndMs, incident.keys]).toEqual([full.firstAtMs, full.windowEndMs, full.keys]);
        }
      }),
      { numRuns: 2500 },
    );
    // Not vacuous: most generated cuts are continued.
    expect(continuedRuns).toBeGreaterThan(300);
  });
});
