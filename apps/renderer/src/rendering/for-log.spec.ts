import { buildImpactSummaryView, incidentIdFor } from '@app/domain';
import { event, fixtureEvents } from '../../test/support/event-log.js';
import { rcaForLog, summaryForLog } from './for-log.js';
import { renderImpactSummaryMarkdown } from './render.js';

const preparedOn = '2025-04-06';

// Two services, an hour apart: two incidents the correlation must keep apart.
const twoIncidents = [
  event('alert.triggered', { alertName: 'OrdersDown' }, { incidentKey: 'INC-A' }),
  event('alert.triggered', { alertName: 'PaymentsDown' }, { service: 'payment-service', occurredAt: '2025-04-05T16:30:00Z', incidentKey: 'INC-B' }),
];

describe('rcaForLog', () => {
  it('refuses to guess when the log holds several incidents, listing their ids and keys', () => {
    const result = rcaForLog(twoIncidents, { preparedOn });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/2 incidents/);
    for (const text of ['INC-A', 'INC-B', incidentIdFor(twoIncidents[0]!), incidentIdFor(twoIncidents[1]!), 'payment-service']) expect(result.error).toContain(text);
  });

  it('picks an incident by one of its keys or by its id', () => {
    const byKey = rcaForLog(twoIncidents, { preparedOn, incident: 'INC-B' });
    expect(byKey.ok && byKey.value).toContain('in payment-service');
    const byId = byKey.ok ? rcaForLog(twoIncidents, { preparedOn, incident: byKey.incidentId }) : byKey;
    expect(byId).toEqual(byKey);
  });

  it('names the choices when the picked key matches nothing', () => {
    const result = rcaForLog(twoIncidents, { preparedOn, incident: 'INC-Z' });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/no incident matches "INC-Z"[\s\S]*INC-A[\s\S]*INC-B/) });
  });

  it('says so when the log holds no incident, counting the unattached events', () => {
    const result = rcaForLog([event('note.added', { text: 'hello' })], { preparedOn });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/no incident.*1 unattached/) });
  });

  it('returns a custom template error instead of throwing', () => {
    const result = rcaForLog(fixtureEvents(), { preparedOn, template: { name: 't.hbs', source: '{{{nope}}}' } });
    expect(result).toEqual({ ok: false, error: expect.stringContaining('t.hbs') });
  });
});

describe('summaryForLog', () => {
  it('gives null, never a guess, for every figure the log lacks', () => {
    const result = summaryForLog([event('alert.triggered', { alertName: 'OrdersDown' })]);
    if (!result.ok) throw new Error(result.error);
    const unknown = ['severity', 'impactStartedAt', 'mttdMinutes', 'resolvedAt', 'durationMinutes', 'usersAffected', 'requestsAffected', 'errorRate', 'latencyP99',
      'customerErrors', 'supportTickets', 'revenueUsd', 'mttaMinutes', 'mttrMinutes'] as const;
    for (const field of unknown) expect([field, result.value[field]]).toEqual([field, null]);
    expect(result.value.startedAt).toBe('2025-04-05T15:28:00.000Z');
  });

  it('renders the summary markdown as a heading and one item per view line', () => {
    const result = summaryForLog(fixtureEvents());
    if (!result.ok) throw new Error(result.error);
    const view = buildImpactSummaryView(result.value);
    const expected = [`# ${view.heading}`, '', ...view.lines.map((line) => `- ${line.text}`), ''].join('\n');
    expect(renderImpactSummaryMarkdown(result.value)).toBe(expected);
  });
});
