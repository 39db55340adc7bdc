import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

const readBody = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** An HTTP server on 127.0.0.1 that can be stopped and started again on the same port (a receiver's outage). */
class RestartableServer {
  private server: Server | null = null;
  port = 0;

  constructor(private readonly handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: Error) => {
        response.statusCode = 500;
        response.end(error.message);
      });
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Refuses connections from now on: open ones are cut too. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  }
}

/** One request a webhook receiver got, and whether its signature verified with the standardwebhooks library. */
export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  body: string;
  payload: { type: string; timestamp: string; data: { incident: { id: string; status: string; severity: string | null; services: string[]; keys: string[] }; changed?: string[]; draft?: { version: number }; links: Record<string, string> } };
  verified: boolean;
  answered: number;
  at: number;
}

/**
 * A Standard Webhooks receiver: verifies each request with the `standardwebhooks` library (as a receiver
 * would) and answers `answer` (204 while healthy). `stop()` makes it unreachable.
 */
export function webhookReceiver(secret: string) {
  const received: ReceivedWebhook[] = [];
  const verifier = new Webhook(secret);
  const state = { answer: 204 };
  const server = new RestartableServer(async (request, response) => {
    const body = await readBody(request);
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
    let verified = false;
    try {
      verifier.verify(body, headers);
      verified = true;
    } catch {
      verified = false;
    }
    received.push({ id: headers['webhook-id']!, timestamp: headers['webhook-timestamp']!, body, payload: JSON.parse(body), verified, answered: state.answer, at: Date.now() });
    response.statusCode = state.answer;
    response.end();
  });
  return {
    received,
    state,
    get url() {
      return `${server.url}/hooks/aftermath`;
    },
    start: () => server.start(),
    stop: () => server.stop(),
    /** The deliveries it accepted (2xx), in the order it accepted them. */
    accepted: () => received.filter((r) => r.answered >= 200 && r.answered < 300),
  };
}

/** A Teams Workflows webhook: takes the message and answers 202 Accepted, as Workflows do. */
export function teamsReceiver() {
  const received: { body: Record<string, any>; contentType: string | undefined }[] = [];
  const server = new RestartableServer(async (request, response) => {
    received.push({ body: JSON.parse(await readBody(request)), contentType: request.headers['content-type'] });
    response.statusCode = 202;
    response.end();
  });
  return {
    received,
    get url() {
      return `${server.url}/workflows/triggers/manual/paths/invoke?api-version=1&sig=test-signature`;
    },
    start: () => server.start(),
    stop: () => server.stop(),
  };
}

const recorded = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}.json`, import.meta.url), 'utf8')) as Record<string, any>;

/** A call the Slack stand-in got. */
export interface SlackCall {
  method: string;
  args: Record<string, any>;
  token: string | undefined;
  at: number;
  answered: number;
}

/**
 * The Slack Web API as Slack documents it, for chat.postMessage and chat.update: answers from Slack's example
 * responses (test/fixtures/slack), with the channel, `ts` and text of the call; the first call after
 * `rateLimitOnce()` is answered 429 with `Retry-After` as Slack's rate limits are. Keeps each channel's
 * messages as the last call left them.
 */
export function slackStandIn() {
  const calls: SlackCall[] = [];
  const messages = new Map<string, { channel: string; ts: string; text: string; blocks: unknown[] }>();
  const limits = { next: 0, retryAfter: 1 };
  let clock = 1_700_000_000;
  const server = new RestartableServer(async (request, response) => {
    const raw = await readBody(request);
    const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
    const args: Record<string, any> = request.headers['content-type']?.includes('json')
      ? JSON.parse(raw)
      : Object.fromEntries([...new URLSearchParams(raw)].map(([key, value]) => [key, key === 'blocks' ? JSON.parse(value) : value]));
    const call: SlackCall = { method, args, token: request.headers.authorization, at: Date.now(), answered: 200 };
    calls.push(call);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      call.answered = status;
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(JSON.stringify(body));
    };
    if (limits.next > 0) {
      limits.next -= 1;
      return reply(429, recorded('ratelimited'), { 'retry-after': String(limits.retryAfter) });
    }
    if (call.token !== 'Bearer xoxb-aftermath-test-token') return reply(200, { ok: false, error: 'invalid_auth' });
    if (method === 'chat.postMessage') {
      clock += 1;
      const ts = `${clock}.000100`;
      messages.set(`${args.channel}/${ts}`, { channel: args.channel, ts, text: args.text, blocks: args.blocks ?? [] });
      const example = recorded('chat.postMessage');
      return reply(200, { ...example, channel: args.channel, ts, message: { ...example.message, text: args.text, ts, blocks: args.blocks } });
    }
    if (method === 'chat.update') {
      const message = messages.get(`${args.channel}/${args.ts}`);
      if (!message) return reply(200, { ok: false, error: 'message_not_found' });
      Object.assign(message, { text: args.text, blocks: args.blocks ?? [] });
      const example = recorded('chat.update');
      return reply(200, { ...example, channel: args.channel, ts: args.ts, text: args.text, message: { ...example.message, text: args.text } });
    }
    return reply(200, { ok: false, error: 'unknown_method' });
  });
  return {
    calls,
    messages,
    get url() {
      return `${server.url}/api/`;
    },
    /** The next `count` calls are answered 429 with `Retry-After: seconds`. */
    rateLimit(count: number, seconds: number) {
      limits.next = count;
      limits.retryAfter = seconds;
    },
    start: () => server.start(),
    stop: () => server.stop(),
  };
}

export const SLACK_TEST_TOKEN = 'xoxb-aftermath-test-token';
