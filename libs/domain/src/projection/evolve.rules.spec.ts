import { parseEvent, project, type IncidentEvent } from '../index.js';

let n = 0;
function ev(type: string, hhmm: string, data: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): IncidentEvent {
  n += 1;
  const result = parseEvent({ id: `r${String(n).padStart(3, '0')}`, type, occurredAt: `2025-04-05T${hhmm}:00Z`, source: 'api', service: 'svc', data, ...extra });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}

describe('evolve rules', () => {
  it('takes the primary service from the earliest event that names one, not from an earlier `unknown`', () => {
    const started = ev('impact.started', '09:50', {}, { service: 'unknown' });
    const alert = ev('alert.triggered', '10:00', { alertName: 'HighErrorRate' }, { service: 'order-service' });
    const impacted = ev('service.impacted', '10:05', { service: 'payments' }, { service: 'order-service' });
    for (const events of [[started, alert, impacted], [impacted, alert, started]]) {
      const state = project('i', events);
      expect(state.primaryService).toBe('order-service');
      expect(state.services).toEqual(['order-service', 'payments']);
    }
    expect(project('i', [started]).primaryService).toBe('unknown');
  });

  it('keeps the most severe level reached, whatever came later', () => {
    const state = project('i', [ev('incident.declared', '10:00', { severity: 'P3' }), ev('severity.changed', '10:10', { severity: 'P1' }), ev('severity.changed', '10:20', { severity: 'P4' })]);
    expect(state.severity?.value).toBe('P1');
  });

  it('falls back to page.acknowledged, root_cause.identified and mitigation.applied for milestones', () => {
    const state = project('i', [
      ev('page.acknowledged', '10:05'),
      ev('root_cause.identified', '10:10', { summary: 's', category: 'c' }),
      ev('mitigation.applied', '10:20', { action: 'rollback' }),
    ]);
    expect(state.milestones.map((m) => [m.name, m.at.slice(11, 16)])).toEqual([
      ['Initial investigation started', '10:05'],
      ['Root cause identified', '10:10'],
      ['Mitigation applied', '10:20'],
    ]);
    expect(state.times.startedAt?.at.slice(11, 16)).toBe('10:05'); // no alert: the first event
    expect(state.times.detectedAt).toBeNull();
  });

  it('reopens on a status after resolved; a repeated resolved keeps the first resolution', () => {
    const alert = ev('alert.triggered', '10:00', { alertName: 'A' });
    const reopened = project('i', [alert, ev('status.changed', '11:00', { status: 'resolved' }), ev('status.changed', '11:30', { status: 'investigating' })]);
    expect(reopened).toMatchObject({ open: true, status: 'investigating' });
    expect(reopened.times.resolvedAt).toBeNull();
    expect(reopened.durations.durationMinutes).toBeNull();
    expect(reopened.milestones.at(-1)?.name).toBe('Initial investigation started');
    const twice = project('i', [alert, ev('status.changed', '11:00', { status: 'resolved' }), ev('status.changed', '11:30', { status: 'resolved' })]);
    expect(twice.durations.durationMinutes).toBe(60);
  });

  it('takes the latest report of each customer impact field and the latest measurement of a metric', () => {
    const state = project('i', [
      ev('customer_impact.reported', '12:00', { usersAffected: 10, revenueUsd: 5 }),
      ev('customer_impact.reported', '11:00', { usersAffected: 99, supportTickets: 3 }),
      ev('impact.measured', '10:00', { metric: 'error_rate', unit: '%', peak: 5 }),
      ev('impact.measured', '10:30', { metric: 'error_rate', unit: '%', peak: 9, baseline: 1 }),
    ]);
    expect([state.customerImpact.usersAffected?.value, state.customerImpact.supportTickets?.value, state.customerImpact.revenueUsd?.value]).toEqual([10, 3, 5]);
    expect(state.impact).toHaveLength(1);
    expect(state.impact[0]).toMatchObject({ peak: 9, baseline: 1 });
  });

  it('takes the primary service from the earliest event and dedupes impacted services', () => {
    const state = project('i', [
      ev('note.added', '10:05', { text: 'x' }),
      ev('alert.triggered', '10:00', { alertName: 'A' }, { service: 'edge' }),
      ev('service.impacted', '10:10', { service: 'svc' }),
      ev('service.impacted', '10:11', { service: 'db' }),
      ev('service.impacted', '10:12', { service: 'db' }),
    ]);
    expect(state.services).toEqual(['edge', 'svc', 'db']);
  });

  it('compares instants across offsets', () => {
    const state = project('i', [
      ev('alert.triggered', '10:00', { alertName: 'A' }, { occurredAt: '2025-04-05T12:00:00+02:00' }),
      ev('status.changed', '10:30', { status: 'resolved' }),
    ]);
    expect(state.times.startedAt?.at).toBe('2025-04-05T10:00:00.000Z');
    expect(state.durations.durationMinutes).toBe(30);
  });
});
