import type { ChannelLink } from '../channel-links/channel-link.js';
import { commandEventId, planCommand } from './plan-command.js';
import type { SlashCommand } from './slash-command.js';

const command = (text: string, overrides: Partial<SlashCommand> = {}): SlashCommand => ({
  team_id: 'T1',
  channel_id: 'C1',
  channel_name: 'inc-orders',
  user_id: 'U1',
  user_name: 'ann',
  command: '/incident',
  text,
  trigger_id: '1.2.abc',
  ...overrides,
});
const link: ChannelLink = { teamId: 'T1', channelId: 'C1', channelName: 'inc-orders', incidentRef: 'INC-1', service: 'orders', linkedBy: 'slack:bob', linkedAt: '2025-04-05T15:00:00.000Z' };
const requestTime = new Date('2025-04-05T15:40:00Z');
const webUrl = 'https://aftermath.example.com/';

describe('planning a slash command', () => {
  it('gives the same event for the same invocation, and a new one for a new invocation', () => {
    expect(commandEventId(command('note x'))).toBe(commandEventId(command('note x')));
    expect(commandEventId(command('note x'))).not.toBe(commandEventId(command('note x', { trigger_id: '1.2.abd' })));
    expect(commandEventId(command('note x'))).toMatch(/^slack-[0-9a-f]{32}$/);
  });

  it('records on the linked incident, at Slack\'s request time, as the person', () => {
    const plan = planCommand({ command: command('step Rolled back'), requestTime, link, webUrl });
    expect(plan).toMatchObject({
      kind: 'record',
      events: [{ type: 'resolution.step', occurredAt: '2025-04-05T15:40:00.000Z', incidentKey: 'INC-1', service: 'orders', actor: 'slack:ann', source: 'slack', data: { description: 'Rolled back' } }],
      reply: expect.stringMatching(/^Recorded on <https:\/\/aftermath\.example\.com\/incidents\/INC-1\|INC-1>:\n• resolution step: Rolled back \(event `slack-/),
    });
  });

  it('declares a new incident under a readable key and links the channel to it', () => {
    const plan = planCommand({ command: command('declare Orders down P1 service=orders'), requestTime, link: undefined, webUrl });
    if (plan.kind !== 'record') throw new Error('expected events');
    const key = plan.events[0]!.incidentKey!;
    expect(key).toMatch(/^slack:20250405-inc-orders-[0-9a-f]{6}$/);
    expect(plan.events.map((event) => [event.type, event.incidentKey, event.service])).toEqual([
      ['incident.declared', key, 'orders'],
      ['note.added', key, 'orders'],
    ]);
    expect(plan.link).toMatchObject({ teamId: 'T1', channelId: 'C1', incidentRef: key, service: 'orders', linkedBy: 'slack:ann' });
  });

  it('asks for a link before recording in an unlinked channel, except a retraction', () => {
    expect(planCommand({ command: command('note x'), requestTime, link: undefined, webUrl })).toMatchObject({ kind: 'reply', text: expect.stringMatching(/not linked/) });
    expect(planCommand({ command: command('retract slack-1 wrong incident'), requestTime, link: undefined, webUrl })).toMatchObject({
      kind: 'record',
      events: [{ type: 'event.retracted', service: 'unknown', data: { eventId: 'slack-1', reason: 'wrong incident' } }],
    });
  });

  it('escapes what people typed before echoing it in mrkdwn', () => {
    const plan = planCommand({ command: command('note <!channel> & co'), requestTime, link, webUrl });
    expect(plan.kind === 'record' && plan.reply).toContain('note: &lt;!channel&gt; &amp; co');
  });
});
