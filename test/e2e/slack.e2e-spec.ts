import type { INestApplication } from '@nestjs/common';
import { startIngest } from '../../apps/ingest/src/app.js';
import { loadIngestConfig } from '../../apps/ingest/src/config.js';
import { exampleEvents, referenceRca } from '../support/fixtures.js';
import { runningStack } from '../support/stack.js';
import { testEnvironment, waitFor } from '../support/environment.js';
import { messageShortcutFields, postSigned, responseUrlServer, signedForm, slashCommandFields, slackSignature } from '../support/slack.js';

/*
 * Slack as Slack sends it (form-encoded, signed, Slack's documented fields) to the running stack:
 * the human half of the example incident typed as slash commands must give the reference RCA.
 */
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const INCIDENT = 'INC-2025-0405-ORD';
const environment = testEnvironment('slack');
const slackEnv = { LOG_LEVEL: 'warn', SLACK_SIGNING_SECRET: SECRET, WEB_URL: 'https://aftermath.example.com' };
/** Slack's response_url, here: the app posts to it only when Kafka is slow, and Slack is not reachable from tests. */
let standIn: Awaited<ReturnType<typeof responseUrlServer>>;

/** What people know, as the example log has it: entered by command here instead. */
const HUMAN_TYPES = new Set(['root_cause.identified', 'impact.measured', 'customer_impact.reported', 'resolution.step', 'lesson.recorded', 'action_item.added']);

/** The example log's human half, as a person types it in Slack (Slack escapes `<` as `&lt;`). */
const COMMANDS = [
  'root-cause application: cache invalidation bug; Recent code changes introduced a regression; Test coverage did not include edge cases; Monitoring gaps delayed detection',
  'impact requests_affected 81%',
  'impact error_rate 48% baseline &lt;1',
  'impact latency_p99 2549ms baseline 475ms',
  'customers users=3808 errors=2481 tickets=49 revenue=17556',
  'step Deployed hotfix to address the immediate issue',
  'step Added regression tests for the affected code path',
  'step Implemented additional monitoring and alerting',
  'step Updated runbook with troubleshooting steps',
  'lesson went-well Alert fired within 2 minutes of incident start',
  'lesson went-well On-call response was quick (3 minutes)',
  'lesson went-well Cross-team collaboration was effective',
  'lesson went-well Communication to stakeholders was timely',
  'lesson to-improve Need better runbooks for application issues',
  'lesson to-improve Monitoring coverage gaps identified',
  'lesson to-improve Load testing should cover this scenario',
  'lesson to-improve Need automated rollback for faster recovery',
  'action P1 Infrastructure 2025-04-12 Implement monitoring for cache invalidation bug',
  'action P2 Infrastructure 2025-04-19 Update runbook',
  'action P2 Platform Engineering 2025-04-26 Add load test scenario',
  'action P3 Infrastructure 2025-05-05 Review similar services',
];

const commandsUrl = () => `${stack.ingest}/v1/slack/commands`;
const interactivityUrl = () => `${stack.ingest}/v1/slack/interactivity`;

async function command(text: string, options: { timestamp?: number; fields?: Record<string, string>; url?: string } = {}): Promise<{ status: number; text: string }> {
  const fields = slashCommandFields(text, { response_url: standIn.url, ...options.fields });
  const response = await postSigned(options.url ?? commandsUrl(), signedForm(SECRET, fields, options.timestamp));
  const body = (await response.json().catch(() => ({}))) as { text?: string; response_type?: string };
  if (response.status === 200) expect(body.response_type).toBe('ephemeral');
  return { status: response.status, text: body.text ?? '' };
}

const incidentEvents = async (ref: string) => {
  const response = await fetch(`${stack.timeline}/v1/incidents/${encodeURIComponent(ref)}/events`);
  return response.status === 200 ? ((await response.json()) as { events: { id: string; type: string; occurredAt: string; actor?: string; data: Record<string, unknown> }[] }).events : [];
};

beforeAll(async () => {
  standIn = await responseUrlServer();
});

const stack = runningStack(environment, ['ingest', 'timeline', 'renderer'], slackEnv);

beforeAll(async () => {
  const machineHalf = exampleEvents().filter((event) => !HUMAN_TYPES.has(event.type as string));
  const posted = await fetch(`${stack.ingest}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(machineHalf) });
  expect(posted.status).toBe(202);
  await waitFor(async () => (await incidentEvents(INCIDENT)).length === machineHalf.length, 'the machine half of the example incident');
});

afterAll(async () => {
  await standIn?.close();
});

test('the example incident\'s root cause, impact, lessons and action items typed in Slack give the reference RCA', async () => {
  const linked = await command(`link ${INCIDENT}`);
  expect(linked).toEqual({ status: 200, text: `Linked this channel to <https://aftermath.example.com/incidents/${INCIDENT}|${INCIDENT}>: later \`/incident\` commands here go to it.` });

  // One command a second, as people type: each is dated by Slack's request timestamp. The first step is
  // sent twice as the very same request (a retry: same trigger_id, same signature) and must count once.
  const start = Math.floor(Date.now() / 1000) - 200;
  for (const [index, text] of COMMANDS.entries()) {
    const request = signedForm(SECRET, slashCommandFields(text, { response_url: standIn.url }), start + index);
    const attempts = text.startsWith('step Deployed') ? 2 : 1;
    const replies: unknown[] = [];
    for (let attempt = 0; attempt < attempts; attempt++) {
      const response = await postSigned(commandsUrl(), request);
      expect(response.status).toBe(200);
      replies.push(await response.json());
    }
    expect(replies[0]).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(new RegExp(`^Recorded on <https://aftermath\\.example\\.com/incidents/${INCIDENT}\\|${INCIDENT}>:\\n• `)) });
    expect(replies.at(-1)).toEqual(replies[0]);
  }

  // The reference is the draft's beginning, line for line; the extras (key metrics, Mermaid, appendix) follow it.
  const referenceLines = referenceRca().trimEnd().split('\n');
  let draftLines: string[] = [];
  await waitFor(async () => {
    const response = await fetch(`${stack.renderer}/v1/incidents/${INCIDENT}/rca.md?preparedOn=2025-04-06`);
    draftLines = response.status === 200 ? (await response.text()).split('\n').slice(0, referenceLines.length) : [];
    return draftLines.join('\n') === referenceLines.join('\n');
  }, 'the reference RCA from the renderer').catch(() => undefined);
  expect(draftLines).toEqual(referenceLines);

  const recorded = (await incidentEvents(INCIDENT)).filter((event) => HUMAN_TYPES.has(event.type));
  expect(recorded).toHaveLength(COMMANDS.length);
  expect(recorded.every((event) => event.actor === 'slack:steve' && event.id.startsWith('slack-'))).toBe(true);
  expect(recorded.find((event) => event.type === 'impact.measured' && event.data.metric === 'error_rate')?.data).toEqual({ metric: 'error_rate', unit: '%', peak: 48, baseline: '<1' });
});

test('a request that is not Slack\'s, correctly signed and fresh, is a 401 and records nothing', async () => {
  await command(`link ${INCIDENT}`);
  const marker = `forged-${Date.now()}`;
  const fresh = signedForm(SECRET, slashCommandFields(`note ${marker}`, { response_url: standIn.url }));
  const now = Math.floor(Date.now() / 1000);
  const refusals = [
    { ...fresh, headers: { ...fresh.headers, 'x-slack-signature': slackSignature('another secret', now, fresh.body) } },
    { ...fresh, body: fresh.body.replace('steve', 'mallory') },
    signedForm(SECRET, slashCommandFields(`note ${marker}`, { response_url: standIn.url }), now - 330),
    signedForm(SECRET, slashCommandFields(`note ${marker}`, { response_url: standIn.url }), now + 330),
    { ...fresh, headers: { 'content-type': fresh.headers['content-type']!, 'x-slack-request-timestamp': fresh.headers['x-slack-request-timestamp']! } },
    { ...fresh, headers: { ...fresh.headers, 'x-slack-signature': fresh.headers['x-slack-signature']!.replace('v0=', 'v1=') } },
  ];
  for (const request of refusals) {
    const response = await postSigned(commandsUrl(), request);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  }
  const forgedShortcut = signedForm('another secret', messageShortcutFields({ ts: '1743867400.000100', text: marker, user: 'U1' }, 'http://127.0.0.1:9/unused'));
  expect((await postSigned(interactivityUrl(), forgedShortcut)).status).toBe(401);

  // The same command, signed by Slack, is recorded: so nothing above was lost to anything but its signature.
  expect((await postSigned(commandsUrl(), fresh)).status).toBe(200);
  const events = await waitFor(async () => {
    const all = await incidentEvents(INCIDENT);
    return all.some((event) => event.data.text === marker) ? all : null;
  }, 'the signed note');
  expect(events.filter((event) => JSON.stringify(event).includes(marker))).toHaveLength(1);
  expect(events.some((event) => event.actor === 'slack:mallory')).toBe(false);
});

test('a malformed command records nothing and answers with the grammar of its subcommand', async () => {
  expect(await command('action P2 Infrastructure 2025-04-19')).toEqual({
    status: 200,
    text: 'Nothing recorded: describe the action after the due date.\nUsage: `/incident action <P1-P4> <owner> <YYYY-MM-DD> <action>`\nExample: `/incident action P2 Platform Engineering 2025-04-26 Add load test scenario`',
  });
  const unknown = await command('rootcause application: x');
  expect(unknown.text).toMatch(/^Nothing recorded: "rootcause" is not a subcommand; one of link, declare, status/);
  expect(unknown.text).toContain('`/incident root-cause <category>: <summary>[; contributing factor; ...]`');
  expect((await command('help')).text).toContain('`/incident lesson <went-well|to-improve> <text>`');
  // A body that is not Slack's shape, though signed, is a 400 naming the field.
  const { trigger_id: _omitted, ...withoutTrigger } = slashCommandFields('note no trigger', { response_url: standIn.url });
  const missing = await postSigned(commandsUrl(), signedForm(SECRET, withoutTrigger));
  expect(missing.status).toBe(400);
  expect(JSON.stringify(await missing.json())).toContain('"path":"trigger_id"');
  const notJson = await postSigned(interactivityUrl(), signedForm(SECRET, { payload: '{not json' }));
  expect(notJson.status).toBe(400);
  const unlinked = await command('note nobody reads this', { fields: { channel_id: 'C0UNLINKED', channel_name: 'random' } });
  expect(unlinked.text).toMatch(/^Nothing recorded: this channel is not linked to an incident/);
});

test('"Add to timeline" records the message at its own time, by its author, with its permalink, once', async () => {
  await command(`link ${INCIDENT}`);
  const slack = await responseUrlServer();
  try {
    const message = { ts: '1743867300.000200', text: 'Rolling back the canary did not help; errors persist', user: 'U2147483697' };
    for (let click = 0; click < 2; click++) {
      const response = await postSigned(interactivityUrl(), signedForm(SECRET, messageShortcutFields(message, slack.url)));
      expect(response.status).toBe(200);
    }
    const notes = await waitFor(async () => {
      const found = (await incidentEvents(INCIDENT)).filter((event) => event.data.text === message.text);
      return found.length > 0 ? found : null;
    }, 'the message on the incident');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      type: 'note.added',
      occurredAt: '2025-04-05T15:35:00.000Z',
      actor: 'slack:steve',
      data: { text: message.text, permalink: 'https://example.slack.com/archives/C2147483705/p1743867300000200' },
    });
    await waitFor(async () => slack.received.length === 2, 'the answers posted to response_url');
    expect(slack.received[0]).toEqual({
      response_type: 'ephemeral',
      text: `Added the message to the timeline of <https://aftermath.example.com/incidents/${INCIDENT}|${INCIDENT}> at 2025-04-05T15:35:00.000Z (event \`${notes[0]!.id}\`).`,
    });
    expect(slack.received[1]).toEqual(slack.received[0]);
  } finally {
    await slack.close();
  }
});

test('a channel link survives a restart: another ingest instance reads it back from Kafka', async () => {
  await command(`link ${INCIDENT}`);
  let other: INestApplication | undefined;
  try {
    other = await startIngest(loadIngestConfig({ ...environment.env, ...slackEnv, INGEST_PORT: '0', INGEST_HOST: '127.0.0.1' }));
    const url = `${(await other.getUrl()).replace('[::1]', '127.0.0.1')}/v1/slack/commands`;
    const reply = await command('note typed on the freshly started instance', { url });
    expect(reply.text).toMatch(new RegExp(`^Recorded on <https://aftermath\\.example\\.com/incidents/${INCIDENT}\\|`));
    await waitFor(async () => (await incidentEvents(INCIDENT)).some((event) => event.data.text === 'typed on the freshly started instance'), 'the note via the other instance');
  } finally {
    await other?.close();
  }
});

test('declare opens an incident, links the channel to it, and shows the link on the incident', async () => {
  const channel = { channel_id: 'C0DECLARE1', channel_name: 'inc-checkout' };
  const declared = await command('declare Checkout returns 500s P2 service=checkout', { fields: channel });
  const ref = /incidents\/([^|]+)\|/.exec(declared.text)?.[1];
  expect(declared.text).toMatch(/^Declared <https:\/\/aftermath\.example\.com\/incidents\/slack%3A\d{8}-inc-checkout-[0-9a-f]{6}\|slack:\d{8}-inc-checkout-[0-9a-f]{6}> and linked this channel to it\.$/);
  const key = decodeURIComponent(ref!);
  expect((await command('severity P1', { fields: channel })).text).toContain('severity P1');

  const incident = await waitFor(async () => {
    const response = await fetch(`${stack.timeline}/v1/incidents/${encodeURIComponent(key)}`);
    const state = response.status === 200 ? ((await response.json()) as { severity: { value: string }; title: { value: string }; primaryService: string; notes: { text: string }[] }) : null;
    return state?.severity?.value === 'P1' ? state : null;
  }, 'the declared incident');
  expect(incident).toMatchObject({ primaryService: 'checkout', severity: { value: 'P1' }, title: { value: 'Checkout returns 500s' } });
  expect(incident.notes.map((note) => note.text)).toContain('Slack channel #inc-checkout linked to this incident');
});
