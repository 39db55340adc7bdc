import { buildRcaView, NOT_RECORDED, parseEvent, project, type IncidentEvent, type RcaView } from '../index.js';

function events(...raw: [string, string, Record<string, unknown>?][]): IncidentEvent[] {
  return raw.map(([type, hhmm, data], i) => {
    const result = parseEvent({ id: `e${i}`, type, occurredAt: `2025-06-01T${hhmm}:00Z`, source: 'api', service: 'web', data });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return result.event;
  });
}

describe('buildRcaView with figures missing', () => {
  // Built in each test (beforeEach runs inside it): the mutation run attributes code to tests only so.
  let view: RcaView;
  beforeEach(() => {
    view = buildRcaView(project('inc-x', events(['alert.triggered', '10:00', { alertName: 'WebDown' }])), { preparedOn: '2025-06-02' });
  });

  it('names the incident after the first alert when nothing better is recorded', () => {
    expect(view.heading).toBe('2025-06-01 - WebDown in web');
    expect(view.slug).toBe('webdown-web');
    expect(view.tags).toEqual(['rca']);
  });

  it('keeps every line, saying not recorded instead of inventing numbers', () => {
    expect(view.severity).toBe(NOT_RECORDED);
    expect(view.summary).toBe(
      `On 2025-06-01, the web service experienced an incident (root cause ${NOT_RECORDED}). The incident lasted approximately ${NOT_RECORDED} minutes and affected ${NOT_RECORDED} users and 1 dependent service.`,
    );
    expect(view.impact.map((l) => l.recorded)).toEqual([false, false, false]);
    expect(view.customerImpact.map((l) => l.text)).toEqual([
      `Customer-facing errors: ${NOT_RECORDED}`,
      `Support tickets created: ${NOT_RECORDED}`,
      `Estimated revenue impact: ${NOT_RECORDED}`,
    ]);
    expect(view.resolution).toEqual([{ number: 1, text: NOT_RECORDED, recorded: false }]);
    expect(view.lessons.wentWell).toEqual([{ text: NOT_RECORDED, recorded: false }]);
    expect(view.actionItems[0]?.recorded).toBe(false);
    expect(view.rootCause.factors[0]?.recorded).toBe(false);
    expect(view.keyMetrics.find((l) => l.text.startsWith('Time to resolve'))?.text).toBe(`Time to resolve: ${NOT_RECORDED}`);
    expect(view.footer).toBe(`*RCA prepared by ${NOT_RECORDED} on 2025-06-02*`);
    expect(view.frontmatter.durationMinutes).toBe(`"${NOT_RECORDED}"`);
  });

  it('lists unrecorded milestones after the recorded ones', () => {
    expect(view.timeline).toHaveLength(7);
    expect(view.timeline[0]).toEqual({ time: '10:00', event: 'Monitoring alert triggered', eventId: 'e0' });
    expect(view.timeline.slice(1).every((row) => row.time === NOT_RECORDED && row.eventId === null)).toBe(true);
  });

  it('prints other metrics and a missing baseline as recorded lines', () => {
    const state = project('i', events(['alert.triggered', '10:00', { alertName: 'A' }], ['impact.measured', '10:05', { metric: 'queue_depth', unit: 'msgs', peak: 9000 }]));
    expect(buildRcaView(state, { preparedOn: '2025-06-02' }).impact[3]).toEqual({
      text: `queue_depth: peak 9000 msgs (baseline: ${NOT_RECORDED})`,
      recorded: true,
    });
  });

  it('escapes event text on the way into the view', () => {
    const state = project(
      'i',
      events(
        ['alert.triggered', '10:00', { alertName: 'A' }],
        ['root_cause.identified', '10:10', { summary: 'bad <script> | [[x]]', category: 'app', contributingFactors: ['line\nbreak'] }],
        ['action_item.added', '10:20', { priority: 'P2', action: 'fix a | b', owner: 'me\nyou', dueDate: '2025-06-30' }],
      ),
    );
    const escaped = buildRcaView(state, { preparedOn: '2025-06-02' });
    expect(escaped.rootCause.sentence).toBe('The incident was caused by bad &lt;script&gt; | \\[\\[x\\]\\] in the web service.');
    expect(escaped.rootCause.factors[0]?.text).toBe('line break');
    expect(escaped.actionItems[0]).toMatchObject({ action: 'fix a \\| b', owner: 'me you' });
  });
});
