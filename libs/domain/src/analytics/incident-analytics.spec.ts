import { incidentAnalytics, incidentAnalyticsCsv, nearestRank, type IncidentFigures } from './incident-analytics.js';

function row(id: string, fields: Partial<IncidentFigures>): IncidentFigures {
  return { id, service: 'payments', team: null, severity: null, firstEventAt: '2025-06-12T10:00:00.000Z', timeToDetect: null, timeToAcknowledge: null, timeToMitigate: null, timeToResolve: null, ...fields };
}

const rows = [
  row('i1', { timeToDetect: 10, timeToAcknowledge: 5, timeToResolve: 60, team: 'Payments', severity: 'P2' }),
  row('i2', { timeToAcknowledge: 7, timeToResolve: 30, team: 'Payments', severity: 'P1', firstEventAt: '2025-07-01T00:00:00.000Z' }),
  row('i3', { timeToDetect: 4, timeToAcknowledge: 3, timeToResolve: 90, severity: 'P2' }),
  row('s1', { service: 'search', timeToAcknowledge: 12, firstEventAt: '2025-06-30T23:59:00.000Z' }),
];

describe('nearestRank', () => {
  it('is the smallest figure with at least p% at or below it', () => {
    const sorted = [1, 2, 3, 4].map((value) => ({ id: `x${value}`, value }));
    expect(nearestRank(sorted, 50)?.value).toBe(2);
    expect(nearestRank(sorted, 90)?.value).toBe(4);
    expect(nearestRank(sorted.slice(0, 1), 90)?.value).toBe(1);
    expect(nearestRank([], 50)).toBeNull();
  });
});

describe('incidentAnalytics', () => {
  it('gives, per service, the counts and percentiles computed by hand, with the incidents behind each', () => {
    const [payments, search] = incidentAnalytics(rows, 'service');
    expect(payments).toEqual({
      group: 'payments',
      incidents: 3,
      incidentIds: ['i1', 'i2', 'i3'],
      figures: {
        // recorded 4 (i3), 10 (i1): p50 = rank 1 of 2, p90 = rank 2 of 2; i2 does not record it
        timeToDetect: { p50: 4, p90: 10, p50IncidentId: 'i3', p90IncidentId: 'i1', incidentIds: ['i3', 'i1'], notRecorded: 1 },
        // 3 (i3), 5 (i1), 7 (i2): ranks 2 and 3 of 3
        timeToAcknowledge: { p50: 5, p90: 7, p50IncidentId: 'i1', p90IncidentId: 'i2', incidentIds: ['i3', 'i1', 'i2'], notRecorded: 0 },
        timeToMitigate: { p50: null, p90: null, p50IncidentId: null, p90IncidentId: null, incidentIds: [], notRecorded: 3 },
        // 30 (i2), 60 (i1), 90 (i3)
        timeToResolve: { p50: 60, p90: 90, p50IncidentId: 'i1', p90IncidentId: 'i3', incidentIds: ['i2', 'i1', 'i3'], notRecorded: 0 },
      },
    });
    expect(search).toMatchObject({ group: 'search', incidents: 1, figures: { timeToAcknowledge: { p50: 12, p90: 12 } } });
  });

  it('groups by team, severity and UTC month, with incidents recording none last (null)', () => {
    expect(incidentAnalytics(rows, 'team').map((g) => [g.group, g.incidents])).toEqual([['Payments', 2], [null, 2]]);
    expect(incidentAnalytics(rows, 'severity').map((g) => [g.group, g.incidentIds])).toEqual([['P1', ['i2']], ['P2', ['i1', 'i3']], [null, ['s1']]]);
    expect(incidentAnalytics(rows, 'month').map((g) => [g.group, g.incidents])).toEqual([['2025-06', 3], ['2025-07', 1]]);
  });

  it('writes the same figures as CSV, one row per group', () => {
    const csv = incidentAnalyticsCsv(incidentAnalytics(rows, 'service'), 'service').split('\r\n');
    expect(csv[0]!.split(',').slice(0, 9)).toEqual([
      'service', 'incidents', 'time_to_detect_p50', 'time_to_detect_p90', 'time_to_detect_p50_incident_id',
      'time_to_detect_p90_incident_id', 'time_to_detect_recorded', 'time_to_detect_not_recorded', 'time_to_detect_incident_ids',
    ]);
    expect(csv[1]!.split(',').slice(0, 9)).toEqual(['payments', '3', '4', '10', 'i3', 'i1', '2', '1', 'i3 i1']);
    expect(csv[2]!.startsWith('search,1,,,,,0,1,,')).toBe(true);
    expect(csv.at(-1)).toBe('');
  });
});
