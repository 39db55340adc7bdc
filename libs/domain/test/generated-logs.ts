import fc from 'fast-check';
import { parseEvent, type IncidentEvent } from '../src/events/index.js';
import { parseServiceGroups } from '../src/correlation/settings.js';
import type { CorrelateOptions } from '../src/correlation/correlate-log.js';

/*
 * Logs for the properties of a replay: few services (two of them groupable), keys, alert labels, statuses,
 * retractions and merges over ten hours, so that different settings join, split and move incidents.
 */

const SERVICES = ['db', 'api', 'web', 'unknown'] as const;

function event(id: string, type: string, minute: number, extra: Record<string, unknown>): IncidentEvent {
  const parsed = parseEvent({ id, type, occurredAt: new Date(Date.UTC(2025, 3, 5) + minute * 60_000).toISOString(), source: 'test', ...extra });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.event;
}

const spec = fc.record({
  type: fc.constantFrom('alert.triggered', 'alert.triggered', 'alert.resolved', 'note.added', 'status.changed', 'page.sent', 'event.retracted', 'incident.merged'),
  minute: fc.integer({ min: 0, max: 600 }),
  service: fc.constantFrom(...SERVICES),
  key: fc.option(fc.constantFrom('K1', 'K2', 'K3'), { freq: 3 }),
  alert: fc.constantFrom('A', 'B'),
  cluster: fc.option(fc.constantFrom('eu', 'us'), { freq: 2 }),
  status: fc.constantFrom('investigating', 'resolved'),
  target: fc.nat(30),
});

export const generatedLog: fc.Arbitrary<IncidentEvent[]> = fc.array(spec, { minLength: 1, maxLength: 30 }).map((specs) =>
  specs.map((s, i) => {
    const data =
      s.type === 'alert.triggered'
        ? { alertName: s.alert, summary: `summary ${i}`, severity: 'critical', ...(s.cluster ? { labels: { cluster: s.cluster, alertname: s.alert, team: 'x' } } : {}) }
        : s.type === 'alert.resolved'
          ? { alertName: s.alert }
          : s.type === 'status.changed'
            ? { status: s.status, note: 'why' }
            : s.type === 'note.added'
              ? { text: 'n' }
              : s.type === 'event.retracted'
                ? { eventId: `e${s.target % specs.length}`, reason: 'wrong' }
                : s.type === 'incident.merged'
                  ? { into: `K${(s.target % 3) + 1}` }
                  : {};
    return event(`e${i}`, s.type, s.minute, { service: s.service, ...(s.key ? { incidentKey: s.key } : {}), data });
  }),
);

/** Correlation settings worth comparing: defaults, a short margin and idle time, label keys, a service group. */
export const generatedSettings: fc.Arbitrary<CorrelateOptions> = fc.record({
  marginMinutes: fc.constantFrom(0, 30, 120),
  idleMinutes: fc.constantFrom(60, 240),
  groupLabels: fc.constantFrom([], ['cluster'], ['cluster', 'alertname']),
  serviceGroups: fc.constantFrom(new Map<string, string>(), parseServiceGroups('stack=db,api')),
});
