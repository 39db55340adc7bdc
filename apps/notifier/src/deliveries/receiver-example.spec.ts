import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { webhookBody } from '../notices/webhook-body.js';
import { incidentNotice } from '../notices/notice.js';
import { initialIncidentState, summarize } from '@app/domain';
import { signedHeaders } from './signature.js';

const EXAMPLE = fileURLToPath(new URL('../../../../docs/integrations/outbound-receiver.mjs', import.meta.url));
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** docs/integrations/outbound.md's receiver, run as a reader would run it, fed what the notifier sends. */
describe('the receiver example of docs/integrations/outbound.md', () => {
  let child: ChildProcessWithoutNullStreams;
  let url = '';
  let output = '';

  beforeAll(async () => {
    child = spawn(process.execPath, [EXAMPLE], { env: { ...process.env, WEBHOOK_SECRET: SECRET, PORT: '0' } });
    child.stdout.on('data', (chunk) => (output += chunk));
    while (!/listening on (\d+)/.test(output)) await once(child.stdout, 'data');
    url = `http://127.0.0.1:${/listening on (\d+)/.exec(output)![1]}/`;
  });
  afterAll(async () => {
    child.kill();
    await once(child, 'exit');
  });

  const summary = { ...summarize(initialIncidentState('inc-42')), status: 'investigating' as const, severity: 'P2' as const };
  const body = webhookBody(incidentNotice({ type: 'incident.updated', changed: ['status'] }, summary, { eventId: 'e1', sequence: 3, occurredAt: '2025-06-01T10:00:00Z' }), 'https://aftermath.example');
  const send = (headers: Record<string, string>, text = body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text });

  it('accepts what the notifier signs, once per webhook-id', async () => {
    const headers = signedHeaders(SECRET, 'msg_1', body);
    expect((await send(headers)).status).toBe(204);
    expect((await send(signedHeaders(SECRET, 'msg_1', body))).status).toBe(204);
    while (!output.includes('incident.updated')) await once(child.stdout, 'data');
    expect(output.match(/incident\.updated inc-42 investigating P2 https:\/\/aftermath\.example\/incidents\/inc-42/g)).toHaveLength(1);
  });

  it('refuses a body changed on the way, another secret and a replay of an old request', async () => {
    expect((await send(signedHeaders(SECRET, 'msg_2', body), body.replace('P2', 'P1'))).status).toBe(401);
    expect((await send(signedHeaders('whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD', 'msg_3', body))).status).toBe(401);
    expect((await send(signedHeaders(SECRET, 'msg_4', body, new Date(Date.now() - 3_600_000)))).status).toBe(401);
    // Its lines come through a pipe: wait for the third (or fail the test's time limit).
    while ((output.match(/refused:/g) ?? []).length < 3) await once(child.stdout, 'data');
    expect(output.match(/refused:/g)).toHaveLength(3);
    expect(output.match(/incident\.updated/g)).toHaveLength(1);
  });
});
