/*
 * npm run --silent dead-letters -- list [--pending] [--json] | replay ID...
 *
 * Lists what was kept aside (timeline's GET /v1/dead-letters: both dead-letter topics, incident-events.dlq.v1
 * with ingest's kept-aside webhook bodies and the timeline's refused messages, and the renderer's
 * incident-timeline.dlq.v1) and replays chosen dead letters, by id, after a configuration or code fix:
 * - a webhook body goes back through ingest's mapping of its tool (POST /v1/webhooks/replay/<tool>, the
 *   configuration of now: SERVICE_LABELS, SERVICE_ALIASES);
 * - a message of the events topic back to POST /v1/events/replay (validated as POST /v1/events,
 *   tool-derived ids allowed);
 * - a message of incident-timeline.v1 the renderer refused back onto that topic (the timeline's
 *   POST /v1/dead-letters/:id/republish).
 * Each wants an ADMIN_TOKENS token, and ingest takes only a stored dead letter's own bytes, named by its
 * id (`aftermath-dead-letter-id`). What maps now is published; events published before keep their ids, so
 * nothing is doubled; what still does not map stays kept aside, under the same id. The outcome is recorded
 * on the dead letter (POST /v1/dead-letters/:id/replays).
 *
 * Talks to the running services over HTTP: TIMELINE_URL (default http://127.0.0.1:$TIMELINE_PORT, 3002),
 * INGEST_URL (http://127.0.0.1:$INGEST_PORT, 3001), with bearer tokens from ADMIN_TOKEN (else the first of
 * ADMIN_TOKENS) and READ_TOKEN (else the first of READ_TOKENS, else the admin token).
 */
import { messageOf } from '@app/domain';
import type { DeadLetterView as DeadLetter } from '../dead-letters/dead-letter-store.js';

const env = process.env;
const firstOf = (list: string | undefined) => list?.split(',').map((token) => token.trim()).find(Boolean);
const timelineUrl = env.TIMELINE_URL ?? `http://127.0.0.1:${env.TIMELINE_PORT || 3002}`;
const ingestUrl = env.INGEST_URL ?? `http://127.0.0.1:${env.INGEST_PORT || 3001}`;
const admin = env.ADMIN_TOKEN ?? firstOf(env.ADMIN_TOKENS);
const tokens = { admin, read: env.READ_TOKEN ?? firstOf(env.READ_TOKENS) ?? admin };
const RENDERER_DEAD_LETTERS = 'incident-timeline.dlq.v1';

const authorization = (token: string | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

async function call(url: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { ...init, headers: { ...authorization(init.token), ...(init.headers as Record<string, string>) } });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* kept as text */
  }
  return { status: response.status, body };
}

function problemText(body: any): string {
  if (typeof body !== 'object' || body === null) return String(body);
  const errors = Array.isArray(body.errors) ? body.errors.map((issue: { path: string; message: string }) => `${issue.path || '(body)'}: ${issue.message}`).join('; ') : '';
  return [body.detail ?? body.title, errors].filter(Boolean).join(': ');
}

async function list(flags: string[]): Promise<number> {
  const query = flags.includes('--pending') ? '?pending=true&limit=1000' : '?limit=1000';
  const { status, body } = await call(`${timelineUrl}/v1/dead-letters${query}`, { token: tokens.read });
  if (status !== 200) throw new Error(`timeline answered ${status}: ${problemText(body)}`);
  const items = body.items as DeadLetter[];
  if (flags.includes('--json')) {
    process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    return 0;
  }
  if (items.length === 0) {
    process.stdout.write('nothing kept aside\n');
    return 0;
  }
  for (const letter of items) {
    const state = letter.replayedAt ? `replayed ${letter.replayedAt}` : 'pending';
    process.stdout.write(`${letter.id}  ${letter.receivedAt}  ${letter.topic}  ${letter.kind}:${letter.source}  ${state}  ${letter.bodyBytes} B\n    ${letter.reason}\n`);
  }
  return 0;
}

async function replayOne(id: string): Promise<boolean> {
  const letter = await call(`${timelineUrl}/v1/dead-letters/${encodeURIComponent(id)}`, { token: tokens.read });
  if (letter.status !== 200) {
    process.stdout.write(`${id}: ${letter.status === 404 ? 'no such dead letter' : `timeline answered ${letter.status}: ${problemText(letter.body)}`}\n`);
    return false;
  }
  const { topic, kind, source, body, bodyBase64 } = letter.body as DeadLetter;
  const bytes = body !== undefined ? Buffer.from(body, 'utf8') : Buffer.from(bodyBase64 ?? '', 'base64');
  const named = { 'content-type': 'application/json', 'aftermath-dead-letter-id': id };
  const answer =
    topic === RENDERER_DEAD_LETTERS
      ? await call(`${timelineUrl}/v1/dead-letters/${encodeURIComponent(id)}/republish`, { method: 'POST', token: tokens.admin })
      : // An event's id may be one ingest derived for a tool (am-…), which POST /v1/events refuses to senders: its own replay route takes it.
        await call(kind === 'webhook' ? `${ingestUrl}/v1/webhooks/replay/${encodeURIComponent(source)}` : `${ingestUrl}/v1/events/replay`, {
          method: 'POST',
          token: tokens.admin,
          headers: named,
          body: bytes,
        });
  const recorded = await call(`${timelineUrl}/v1/dead-letters/${encodeURIComponent(id)}/replays`, {
    method: 'POST',
    token: tokens.admin,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: answer.status, answer: answer.body }),
  });
  const note = recorded.status === 200 ? '' : ` (outcome not recorded: timeline answered ${recorded.status}: ${problemText(recorded.body)})`;
  if (answer.status !== 202) {
    process.stdout.write(`${id}: ${topic === RENDERER_DEAD_LETTERS ? 'timeline' : 'ingest'} answered ${answer.status}: ${problemText(answer.body)}${note}\n`);
    return false;
  }
  if (topic === RENDERER_DEAD_LETTERS) {
    process.stdout.write(`${id}: republished to ${answer.body.republished.topic}${note}\n`);
    return recorded.status === 200;
  }
  const stillAside = answer.body.keptAside as { parts: { at: string; reason: string }[] } | undefined;
  const accepted = `${answer.body.accepted} event(s) accepted`;
  if (stillAside) {
    process.stdout.write(`${id}: ${accepted}; still kept aside: ${stillAside.parts.map((part) => (part.at ? `${part.at}: ${part.reason}` : part.reason)).join(' | ')}${note}\n`);
    return false;
  }
  process.stdout.write(`${id}: replayed, ${accepted}${note}\n`);
  return recorded.status === 200;
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'list') return list(rest);
  if (command === 'replay' && rest.length > 0) {
    let failed = 0;
    for (const id of rest) if (!(await replayOne(id))) failed++;
    return failed === 0 ? 0 : 1;
  }
  process.stderr.write('usage: npm run --silent dead-letters -- list [--pending] [--json] | replay ID...\n');
  return 2;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`dead-letters: ${messageOf(error)}${error instanceof Error && error.cause ? ` (${messageOf(error.cause)})` : ''}\n`);
  process.exitCode = 1;
}
