import type { ChannelLink } from '../channel-links/channel-link.js';
import { messageAuthor, messageNote, messagePermalink, slackTsToIso, type MessageShortcutPayload } from './message-note.js';
import { planShortcut } from './plan-shortcut.js';

const link: ChannelLink = { teamId: 'T1', channelId: 'C1', channelName: 'inc', incidentRef: 'INC-1', service: 'unknown', linkedBy: 'slack:ann', linkedAt: '2025-04-05T15:00:00.000Z' };
const payload = (overrides: Partial<MessageShortcutPayload['message']> = {}, clicker = { id: 'U1', name: 'ann' }): MessageShortcutPayload => ({
  team: { id: 'T1', domain: 'acme' },
  channel: { id: 'C1', name: 'inc' },
  user: clicker,
  message: { ts: '1743867300.000200', text: 'errors persist', user: 'U1', ...overrides },
});

describe('"Add to timeline"', () => {
  it('dates the note by the message\'s ts and keys it by the message, not by who adds it', () => {
    const first = messageNote(payload(), link);
    const second = messageNote(payload({}, { id: 'U2', name: 'bob' }), link);
    expect(first).toMatchObject({ event: { type: 'note.added', occurredAt: '2025-04-05T15:35:00.000Z', incidentKey: 'INC-1', source: 'slack', data: { text: 'errors persist' } } });
    expect('event' in second && 'event' in first && second.event.id === first.event.id).toBe(true);
  });

  it('names the author when Slack says who it is, else by id', () => {
    expect(messageAuthor(payload())).toBe('slack:ann');
    expect(messageAuthor(payload({}, { id: 'U2', name: 'bob' }))).toBe('slack:U1');
    expect(messageAuthor(payload({ user_profile: { name: 'ann' } }, { id: 'U2', name: 'bob' }))).toBe('slack:ann');
    expect(messageAuthor(payload({ user: undefined, username: 'deploy-bot' }))).toBe('slack:deploy-bot');
  });

  it('links the message the way Slack\'s permalinks read, threads included', () => {
    expect(messagePermalink(payload())).toBe('https://acme.slack.com/archives/C1/p1743867300000200');
    expect(messagePermalink(payload({ thread_ts: '1743867000.000100' }))).toBe('https://acme.slack.com/archives/C1/p1743867300000200?thread_ts=1743867000.000100&cid=C1');
  });

  it('refuses a message without text and a ts that is not Slack\'s', () => {
    expect(messageNote(payload({ text: '  ' }), link)).toEqual({ problem: 'the message has no text to add (only attachments or blocks)' });
    expect(slackTsToIso('yesterday')).toBeNull();
  });

  it('plans the note with an answer that names it, or only an answer when there is nothing to record', () => {
    const settings = { command: '/incident', webUrl: 'https://web.example/' };
    const { event } = messageNote(payload(), link) as { event: { id: string } };
    expect(planShortcut(payload(), link, settings)).toEqual({
      kind: 'record',
      events: [event],
      reply: `Added the message to the timeline of <https://web.example/incidents/INC-1|INC-1> at 2025-04-05T15:35:00.000Z (event \`${event.id}\`).`,
    });
    expect(planShortcut(payload(), undefined, settings)).toEqual({ kind: 'reply', text: 'Nothing recorded: this channel is not linked to an incident. Link it first with `/incident link <incident id or key>`.' });
    expect(planShortcut(payload({ ts: 'now' }), link, settings)).toEqual({ kind: 'reply', text: 'Nothing recorded: the message\'s ts "now" is not a Slack timestamp.' });
  });
});
