/*
 * npm run --silent deliveries -- list [--status S] [--subscription NAME] [--incident ID] [--json] | redeliver ID...
 *
 * Lists outbound deliveries with their status and attempts (the notifier's GET /v1/deliveries), and sends
 * chosen ones again with the same webhook-id (POST /v1/deliveries/redeliveries). Talks to the running
 * notifier: NOTIFIER_URL (default http://127.0.0.1:$NOTIFIER_PORT, 3005), with READ_TOKEN (else the first
 * of READ_TOKENS) and ADMIN_TOKEN (else the first of ADMIN_TOKENS). A failure is one line on stderr, exit 1.
 */
import { messageOf } from '@app/domain';
import type { DeliveryView } from '../deliveries/delivery-queue.js';

const env = process.env;
const firstOf = (list: string | undefined) => list?.split(',').map((token) => token.trim()).find(Boolean);
const notifierUrl = (env.NOTIFIER_URL ?? `http://127.0.0.1:${env.NOTIFIER_PORT || 3005}`).replace(/\/+$/, '');
const tokens = { read: env.READ_TOKEN ?? firstOf(env.READ_TOKENS), admin: env.ADMIN_TOKEN ?? firstOf(env.ADMIN_TOKENS) };

async function call(path: string, token: string | undefined, init: RequestInit = {}): Promise<any> {
  const response = await fetch(`${notifierUrl}${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const errors = Array.isArray(body?.errors) ? `: ${body.errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message}`).join('; ')}` : '';
    throw new Error(`notifier answered ${response.status}: ${body?.detail ?? body?.title ?? text}${errors}`);
  }
  return body;
}

/** `--name value` flags of `list`, passed on as the query. */
function listQuery(flags: string[]): { query: URLSearchParams; json: boolean } {
  const query = new URLSearchParams();
  let json = false;
  for (let i = 0; i < flags.length; i += 1) {
    const flag = flags[i]!;
    if (flag === '--json') json = true;
    else if (['--status', '--subscription', '--incident'].includes(flag) && flags[i + 1] !== undefined) query.set(flag.slice(2), flags[(i += 1)]!);
    else throw new Error(`unknown flag ${flag}: list takes --status, --subscription, --incident, --json`);
  }
  return { query, json };
}

const answerOf = (d: DeliveryView) => (d.lastAnswer ? (d.lastAnswer.status !== null ? `HTTP ${d.lastAnswer.status}` : (d.lastAnswer.error ?? '')) : 'not tried yet');

async function list(flags: string[]): Promise<number> {
  const { query, json } = listQuery(flags);
  const { items } = (await call(`/v1/deliveries${query.size > 0 ? `?${query}` : ''}`, tokens.read)) as { items: DeliveryView[] };
  if (json) {
    process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    return 0;
  }
  if (items.length === 0) process.stdout.write('no deliveries\n');
  for (const d of items) {
    const next = d.status === 'pending' && d.nextAttemptAt ? `, next ${d.nextAttemptAt}` : '';
    process.stdout.write(`${d.id}  ${d.status}  ${d.type}  ${d.incidentId}  ${d.subscription}  attempts ${d.attempts}  ${answerOf(d)}${next}\n`);
  }
  return 0;
}

async function redeliver(ids: string[]): Promise<number> {
  if (ids.length === 0) throw new Error('redeliver needs the ids of deliveries (see list)');
  const { results } = (await call('/v1/deliveries/redeliveries', tokens.admin, { method: 'POST', body: JSON.stringify({ ids }) })) as { results: { id: string; outcome: string }[] };
  for (const result of results) process.stdout.write(`${result.id}: ${result.outcome === 'queued' ? 'queued again' : result.outcome.replaceAll('-', ' ')}\n`);
  return results.every((result) => result.outcome === 'queued') ? 0 : 1;
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'list') process.exitCode = await list(rest);
  else if (command === 'redeliver') process.exitCode = await redeliver(rest);
  else {
    process.stderr.write('usage: npm run --silent deliveries -- list [--status S] [--subscription NAME] [--incident ID] [--json] | redeliver ID...\n');
    process.exitCode = 1;
  }
} catch (error) {
  process.stderr.write(`deliveries: ${messageOf(error)}\n`);
  process.exitCode = 1;
}
