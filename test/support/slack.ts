import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Slack's signature of a request body: `v0=` + HMAC-SHA256(secret, `v0:<timestamp>:<body>`). */
export const slackSignature = (secret: string, timestamp: number, body: string) => `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** A form body signed as Slack signs it; `timestamp` in Unix seconds (Slack's clock, now by default). */
export function signedForm(secret: string, fields: Record<string, string>, timestamp = Math.floor(Date.now() / 1000)): SignedRequest {
  const body = new URLSearchParams(fields).toString();
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(secret, timestamp, body),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    },
  };
}

export const postSigned = (url: string, request: SignedRequest) => fetch(url, { method: 'POST', headers: request.headers, body: request.body });

let triggerCount = 0;

/** The form fields Slack documents for a slash command request (https://api.slack.com/interactivity/slash-commands). */
export function slashCommandFields(text: string, overrides: Partial<Record<string, string>> = {}): Record<string, string> {
  triggerCount += 1;
  return {
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: 'T0001',
    team_domain: 'example',
    enterprise_id: 'E0001',
    enterprise_name: 'Example Org',
    channel_id: 'C2147483705',
    channel_name: 'inc-order-service',
    user_id: 'U2147483697',
    user_name: 'steve',
    command: '/incident',
    text,
    response_url: 'https://hooks.slack.com/commands/1234/5678',
    trigger_id: `13345224609.738474920.${String(triggerCount).padStart(8, '0')}8d88f008e0`,
    api_app_id: 'A123456',
    ...overrides,
  } as Record<string, string>;
}

/** A `message_action` payload ("Add to timeline") with the fields Slack sends, as the form field `payload`. */
export function messageShortcutFields(message: { ts: string; text: string; user: string }, responseUrl: string, overrides: Record<string, unknown> = {}): Record<string, string> {
  const payload = {
    type: 'message_action',
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    action_ts: `${Math.floor(Date.now() / 1000)}.000100`,
    team: { id: 'T0001', domain: 'example' },
    user: { id: 'U2147483697', name: 'steve', username: 'steve', team_id: 'T0001' },
    channel: { id: 'C2147483705', name: 'inc-order-service' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: 'add_to_timeline',
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
    response_url: responseUrl,
    message_ts: message.ts,
    message: { type: 'message', ...message },
    ...overrides,
  };
  return { payload: JSON.stringify(payload) };
}

/** A local stand-in for Slack's response_url: records what the app posts there (Slack itself is not reachable in tests). */
export async function responseUrlServer(): Promise<{ url: string; received: unknown[]; close(): Promise<void> }> {
  const received: unknown[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push(JSON.parse(body));
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/actions/T0001/1234/abcd`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
