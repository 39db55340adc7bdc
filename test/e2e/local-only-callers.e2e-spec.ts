import { networkInterfaces } from 'node:os';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { startIngest } from '../../apps/ingest/src/app.js';
import { loadIngestConfig } from '../../apps/ingest/src/config.js';
import { startStack, type RunningStack } from '../support/stack.js';
import { testEnvironment } from '../support/environment.js';
import { withHost } from '../support/with-host.js';

/*
 * "Local requests only" when ADMIN_TOKENS or INGEST_TOKENS is unset, through real requests. "Local" is the
 * connection's address (isLoopback in libs/platform/src/access/loopback.ts; headers are never trusted) and
 * the `Host` it names, so a caller that is not local is this machine reached through its own non-loopback
 * address: the kernel then reports that address, not 127.0.0.1, as the peer. The services listen on every
 * interface here (*_HOST=0.0.0.0); without tokens they would default to loopback.
 */
const environment = testEnvironment('local_only');
const outside = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

const stacks: RunningStack[] = [];
const start = async (env: Record<string, string>) => {
  const stack = await startStack(environment, ['ingest', 'timeline'], { LOG_LEVEL: 'error', INGEST_HOST: '0.0.0.0', TIMELINE_HOST: '0.0.0.0', ...env });
  stacks.push(stack);
  return stack;
};
const viaOutside = (url: string) => {
  const at = new URL(url);
  at.hostname = outside!;
  return at.toString().replace(/\/$/, '');
};
const rebuild = (base: string, token?: string) =>
  fetch(`${base}/v1/admin/rebuild`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: '{}' });
const send = (base: string, token?: string) =>
  fetch(`${base}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ id: `local-only-${Math.random()}`, type: 'note.added', occurredAt: '2025-12-01T10:00:00Z', source: 'api', service: 'local-only', data: { text: 'hi' } }),
  });

afterAll(async () => {
  for (const stack of stacks) await stack.close();
  await environment.dropDatabase();
});

test('this machine has a non-loopback IPv4 address to play the remote caller', () => {
  expect(outside).toBeDefined();
});

test('without tokens: loopback callers are served, the same request from a non-local address is refused', async () => {
  const stack = await start({});
  expect((await rebuild(stack.timeline!)).status).toBe(200);
  expect((await send(stack.ingest!)).status).toBe(202);

  // Naming this machine by its outside address: refused before any route, whatever the route.
  const refused = await rebuild(viaOutside(stack.timeline!));
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as { detail: string }).detail).toMatch(/^READ_TOKENS is not set: only requests naming this machine in Host/);
  const refusedIngest = await send(viaOutside(stack.ingest!));
  expect(refusedIngest.status).toBe(403);
  expect(((await refusedIngest.json()) as { detail: string }).detail).toMatch(/^INGEST_TOKENS is not set: only requests naming this machine in Host/);
  // A Host or header claiming loopback changes nothing: the connection itself is not local.
  const json = { 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.1' };
  const forged = await withHost(`${viaOutside(stack.timeline!)}/v1/admin/rebuild`, 'localhost', { method: 'POST', headers: json, body: '{}' });
  expect([forged.status, JSON.parse(forged.text).detail]).toEqual([401, 'ADMIN_TOKENS is not set: only local requests are accepted']);
  const forgedIngest = await withHost(`${viaOutside(stack.ingest!)}/v1/events`, '127.0.0.1', { method: 'POST', headers: json, body: '{}' });
  expect([forgedIngest.status, JSON.parse(forgedIngest.text).detail]).toEqual([401, 'INGEST_TOKENS is not set: only local requests are accepted']);
  await stacks.pop()!.close();
});

test('with ADMIN_TOKENS and INGEST_TOKENS: every caller needs one of the tokens, local or not', async () => {
  const stack = await start({ ADMIN_TOKENS: 'admin-old-0123456789,admin-new-0123456789', INGEST_TOKENS: 'ingest-one-0123456789' });
  expect((await rebuild(stack.timeline!)).status).toBe(401);
  expect((await rebuild(stack.timeline!, 'admin-wrong-0123456789')).status).toBe(401);
  expect((await rebuild(stack.timeline!, 'ingest-one-0123456789')).status).toBe(401);
  expect((await rebuild(viaOutside(stack.timeline!), 'admin-old-0123456789')).status).toBe(200);
  const report = await rebuild(viaOutside(stack.timeline!), 'admin-new-0123456789');
  expect(report.status).toBe(200);
  expect(await report.json()).toMatchObject({ incidents: expect.any(Number), events: expect.any(Number) });

  expect((await send(stack.ingest!)).status).toBe(401);
  expect((await send(viaOutside(stack.ingest!), 'ingest-one-0123456789')).status).toBe(202);
  expect((await send(viaOutside(stack.ingest!), 'admin-old-0123456789')).status).toBe(401);
});

/** The POST routes ingest really serves, read from its router (a route added without the guard is among them). */
function postRoutes(app: NestExpressApplication): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> } };
  const stack = (app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router.stack;
  // Middleware is mounted for every method; a handler's route has its one method.
  const posts = stack.filter((layer) => layer.route && Object.keys(layer.route.methods).join() === 'post');
  return posts.map((layer) => layer.route!.path.replace(':source', 'alertmanager'));
}

test('without INGEST_TOKENS every ingest write route refuses a non-local caller and lets a local one through', async () => {
  const app = await startIngest(loadIngestConfig({ ...environment.env, INGEST_PORT: '0', INGEST_HOST: '0.0.0.0', LOG_LEVEL: 'error' }));
  try {
    const local = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('[::]', '127.0.0.1');
    const routes = postRoutes(app);
    expect(routes).toEqual(expect.arrayContaining(['/v1/events', '/v1/webhooks/alertmanager', '/v1/webhooks/pagerduty', '/v1/cloudevents', '/v1/webhooks/replay/alertmanager', '/v1/events/replay']));
    // Not JSON: a route that lets the caller through refuses the body itself (415), so nothing is ever stored.
    const post = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'not json' });
    for (const path of routes) {
      // Naming the outside address: refused before any route (DNS rebinding); forging a loopback Host: the guard's 401.
      const rebound = await post(`${viaOutside(local)}${path}`);
      expect({ path, status: rebound.status, detail: ((await rebound.json()) as { detail: string }).detail }).toEqual({
        path,
        status: 403,
        detail: expect.stringMatching(/^INGEST_TOKENS is not set: only requests naming this machine in Host/),
      });
      const refused = await withHost(`${viaOutside(local)}${path}`, 'localhost', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'not json' });
      expect({ path, status: refused.status, detail: (JSON.parse(refused.text) as { detail: string }).detail }).toEqual({
        path,
        status: 401,
        // The replay routes are the operators' (ADMIN_TOKENS): they map a stored body as its tool, with the tools' ids.
        detail: `${/\/replay(\/|$)/.test(path) ? 'ADMIN_TOKENS' : 'INGEST_TOKENS'} is not set: only local requests are accepted`,
      });
      expect({ path, status: (await post(`${local}${path}`)).status }).toEqual({ path, status: 415 });
    }
  } finally {
    await app.close();
  }
});
