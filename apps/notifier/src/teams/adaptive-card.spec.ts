import { createRequire } from 'node:module';
import { evolve, initialIncidentState, noticesBetween, parseEventLog, summarize } from '@app/domain';
import { readFileSync } from 'node:fs';
import { draftedNotice, incidentNotice, mergedNotice, type Notice } from '../notices/notice.js';
import { slackMessage } from '../slack/slack-message.js';
import { teamsMessage } from './adaptive-card.js';

const AdaptiveCards = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

/** The example incident's notices, each as the notifier makes them. */
function exampleNotices(): Notice[] {
  const { events } = parseEventLog(readFileSync(new URL('../../../../test/fixtures/order-service-cache-bug.ndjson', import.meta.url), 'utf8'));
  let state = initialIncidentState('inc-1');
  let announced = null;
  const notices: Notice[] = [];
  for (const event of events) {
    state = evolve(state, event);
    const summary = summarize(state);
    for (const change of noticesBetween(announced, summary)) notices.push(incidentNotice(change, summary, { eventId: event.id, sequence: 1, occurredAt: event.occurredAt }));
    announced = summary;
  }
  const final = summarize(state);
  return [...notices, draftedNotice(final, { version: 2, preparedOn: '2025-04-06', fileName: 'x.md', createdAt: '2025-04-06T11:00:00.000Z' }), mergedNotice(final, 'inc-2', { sequence: 9, occurredAt: '2025-04-06T12:00:00Z' })];
}

const problems = (content: unknown) => {
  const card = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext();
  card.parse(content, context);
  return [...Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message), ...card.validateProperties().validationEvents.map((e) => e.message)];
};

describe('Teams Workflows message', () => {
  const notices = exampleNotices();

  it('is a message with one Adaptive Card 1.4 that Microsoft\'s parser takes without a warning, for every kind of notice', () => {
    expect(new Set(notices.map((n) => n.type))).toEqual(new Set(['incident.opened', 'incident.updated', 'incident.resolved', 'rca.drafted', 'incident.merged']));
    for (const notice of notices) {
      const message = teamsMessage(notice, 'https://aftermath.example');
      expect(message).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.4' } }] });
      expect(problems((message.attachments as { content: unknown }[])[0]!.content)).toEqual([]);
    }
  });

  it('the parser does see a broken card (the check above can fail)', () => {
    const content = (teamsMessage(notices[0]!, 'https://aftermath.example').attachments as { content: Record<string, any> }[])[0]!.content;
    expect(problems({ ...content, actions: [{ type: 'Action.OpenUrl', title: 'x' }], body: [...content.body, { type: 'Chart.Bogus' }] })).toHaveLength(2);
  });

  it('stays in one column for a phone: wrapped text, fact sets, two buttons that open the workspace and the draft', () => {
    const content = (teamsMessage(notices.at(-2)!, 'https://aftermath.example').attachments as { content: Record<string, any> }[])[0]!.content;
    const types = new Set(content.body.map((element: { type: string }) => element.type));
    expect(types).toEqual(new Set(['TextBlock', 'FactSet']));
    for (const block of content.body.filter((e: { type: string }) => e.type === 'TextBlock')) expect(block.wrap).toBe(true);
    expect(content.body[0].text).toBe('RCA draft ready: version 2');
    expect(content.actions.map((a: { url: string }) => a.url)).toEqual(['https://aftermath.example/incidents/inc-1', 'https://aftermath.example/incidents/inc-1/rca']);
  });
});

describe('Slack message', () => {
  it('shows the state, the latest milestones and the links, escaping what Slack would read as markup', () => {
    const summary = { ...exampleNotices().at(-3)!.summary, title: 'Orders <5xx> & timeouts' };
    const { text, blocks } = slackMessage(summary, { mergedInto: null, draftVersion: 3 }, 'https://aftermath.example');
    expect(text).toBe('[P3] Orders <5xx> & timeouts: resolved (order-service, auth-service, notification-service, analytics-pipeline)');
    const shown = JSON.stringify(blocks);
    expect(shown).toContain('Orders <5xx> & timeouts'); // the header is plain text
    expect(shown).toContain('17:47 UTC · Incident resolved');
    expect(shown).toContain('<https://aftermath.example/incidents/inc-1/rca|RCA draft v3>');
    const merged = JSON.stringify(slackMessage({ ...summary, services: ['a&b'] }, { mergedInto: 'inc-2', draftVersion: null }, 'https://w.example').blocks);
    expect(merged).toContain('merged into inc-2');
    expect(merged).toContain('a&amp;b');
    expect(merged).toContain('<https://w.example/incidents/inc-2|Open in the workspace>');
  });
});
