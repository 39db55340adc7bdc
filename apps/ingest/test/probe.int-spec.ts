import { testEnvironment } from '../../../test/support/environment.js';
import { startStack, type RunningStack } from '../../../test/support/stack.js';
import { ingestEnv, openInfra, post, request, type Infra } from './support/ingest-kit.js';

const environment = testEnvironment('ingest_probe');
let stack: RunningStack;
let infra: Infra;
beforeAll(async () => {
  stack = await startStack(environment, ['ingest', 'timeline', 'renderer'], ingestEnv(environment));
  infra = await openInfra(environment);
});
afterAll(async () => {
  await stack?.close();
  await infra?.close();
  await environment.dropDatabase();
});

const ev = (over: Record<string, unknown> = {}) => ({ id: `p-${Math.random()}`, type: 'note.added', occurredAt: '2025-04-05T15:28:00Z', source: 'api', service: 'probe', data: { text: 'x' }, ...over });

test('probe', async () => {
  const u = `${stack.ingest}/v1/events`;
  const show = async (name: string, p: Promise<{ status: number; text: string; ms: number }>) => {
    try { const r = await p; console.log(name, r.status, Math.round(r.ms), r.text.slice(0, 300)); } catch (e) { console.log(name, 'THREW', (e as Error).message, (e as any).cause?.message); }
  };
  const tl = stack.timeline, rd = stack.renderer;
  const cur = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  await show('ok', post(u, ev({ id: 'ok-1', type: 'alert.triggered', data: { alertName: 'A' } })));
  await new Promise((r) => setTimeout(r, 4000));
  console.log('after ok', await infra.sql('select event_id from events'));
  await show('deep data', post(u, JSON.stringify(ev({ id: 'deep', data: { text: 'x', deep: 'DEEP' } })).replace('"DEEP"', '['.repeat(10000) + ']'.repeat(10000))));
  await new Promise((r) => setTimeout(r, 4000));
  console.log('after deep', await infra.sql('select event_id from events'));
  await show('cursor year0', request(`${tl}/v1/incidents?cursor=${cur(['0000-01-01T00:00:00Z', 'x'])}`));
  await show('cursor nul', request(`${tl}/v1/incidents?cursor=${cur(['2025-01-01T00:00:00Z', 'x\u0000'])}`));
  await show('cursor big year', request(`${tl}/v1/incidents?cursor=${cur(['+275760-09-13T00:00:00Z', 'x'])}`));
  await show('cursor 2025-02-30', request(`${tl}/v1/incidents?cursor=${cur(['2025-02-30', 'x'])}`));
  await show('service nul', request(`${tl}/v1/incidents?service=%00`));
  await show('service long', request(`${tl}/v1/incidents?service=${'a'.repeat(129)}`));
  await show('limit 1e2', request(`${tl}/v1/incidents?limit=1e2`));
  await show('limit 501', request(`${tl}/v1/incidents?limit=501`));
  await show('events nul', request(`${tl}/v1/incidents/%00/events`));
  await show('rd nul', request(`${rd}/v1/incidents/%00/rca.md`));
  await show('rd summary nul', request(`${rd}/v1/incidents/%00/summary`));
  await show('rd prepared feb30', request(`${rd}/v1/incidents/x/rca.md?preparedOn=2025-02-30`));
  await show('rd prepared year0', request(`${rd}/v1/incidents/x/rca.md?preparedOn=0000-01-01`));
  await show('rd prepared arr', request(`${rd}/v1/incidents/x/rca.md?preparedOn=2025-01-01&preparedOn=2025-01-02`));
  await show('rd version huge', request(`${rd}/v1/incidents/x/rca/versions/99999999999999999999.md`));
  await show('rd version abc', request(`${rd}/v1/incidents/x/rca/versions/abc.md`));
  await show('rd versions', request(`${rd}/v1/incidents/x/rca/versions`));
  await show('tl long id', request(`${tl}/v1/incidents/${'a'.repeat(5000)}`));
  await show('tl very long url', request(`${tl}/v1/incidents/${'a'.repeat(20000)}`));
  await show('rebuild', request(`${tl}/v1/admin/rebuild`, { method: 'POST', headers: { 'x-forwarded-for': '8.8.8.8' } }));
  await show('year0', post(u, ev({ id: 'y0', occurredAt: '0000-01-01T00:00:00Z' })));
  await new Promise((r) => setTimeout(r, 4000));
  console.log('after y0', await infra.sql('select event_id from events'));
  await new Promise((r) => setTimeout(r, 3000));
  console.log(await infra.sql('select event_id, occurred_at from events'));
  console.log(await request(`${stack.timeline}/metrics`).then(r => r.text.split('\n').filter(l => /aftermath_timeline_(events|batch_retries)/.test(l)).join('\n')));
}, 110_000);
