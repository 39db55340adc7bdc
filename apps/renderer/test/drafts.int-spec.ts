import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleEvents, referenceRca } from '../../../test/support/fixtures.js';
import { startStack, type RunningStack } from '../../../test/support/stack.js';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';

const environment = testEnvironment('drafts');
let stack: RunningStack;
let vault: string;

const post = (events: unknown) =>
  fetch(`${stack.ingest}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });

const versions = async () => {
  const response = await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca/versions`);
  return response.status === 200 ? ((await response.json()) as { versions: { version: number; fileName: string }[] }).versions : [];
};

beforeAll(async () => {
  vault = await mkdtemp(join(tmpdir(), 'aftermath-vault-'));
  stack = await startStack(environment, ['ingest', 'timeline', 'renderer'], { LOG_LEVEL: 'warn', RCA_OUTPUT_DIR: vault });
});

afterAll(async () => {
  await stack?.close();
  await environment.dropDatabase();
  await rm(vault, { recursive: true, force: true });
});

test('the pipeline drafts the reference RCA, versions it when later events change it, and writes it to the vault', async () => {
  expect((await post(exampleEvents())).status).toBe(202);

  const first = await waitFor(async () => ((await versions()).length === 1 ? versions() : null), 'the first draft version');
  expect(first[0]).toMatchObject({ version: 1, fileName: 'rca-2025-04-05-cache-invalidation-bug-order-service.md' });

  const rendered = await (await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca.md?preparedOn=2025-04-06`)).text();
  // The reference is the draft's beginning; the extras (key metrics, Mermaid, appendix) follow it.
  const referenceLines = referenceRca().trimEnd().split('\n');
  expect(rendered.split('\n').slice(0, referenceLines.length)).toEqual(referenceLines);

  const stored = await (await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca.md`)).text();
  expect(stored).toContain('## Lessons Learned');
  expect(await readdir(vault)).toEqual(['2025-04-05-cache-invalidation-bug-order-service.md']);
  expect(await readFile(join(vault, '2025-04-05-cache-invalidation-bug-order-service.md'), 'utf8')).toBe(stored);

  // Re-sending the whole log changes nothing: no new version.
  expect((await post(exampleEvents())).status).toBe(202);

  const lesson = {
    id: 'api-lesson-ti-5',
    type: 'lesson.recorded',
    occurredAt: '2025-04-06T11:00:00Z',
    source: 'api',
    service: 'order-service',
    incidentKey: 'INC-2025-0405-ORD',
    data: { kind: 'to_improve', text: 'Cache keys need a version suffix' },
  };
  expect((await post(lesson)).status).toBe(202);
  await waitFor(async () => ((await versions()).length === 2 ? true : null), 'a second draft version');
  expect((await versions()).map((v) => v.version)).toEqual([2, 1]);

  const newest = await (await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca.md`)).text();
  const oldest = await (await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca/versions/1.md`)).text();
  expect(newest).toContain('- Cache keys need a version suffix');
  expect(oldest).not.toContain('Cache keys need a version suffix');
  expect(await readFile(join(vault, '2025-04-05-cache-invalidation-bug-order-service.md'), 'utf8')).toBe(newest);

  const summary = (await (await fetch(`${stack.renderer}/v1/incidents/pagerduty:Q0RIJJZL24RC6W/summary`)).json()) as Record<string, unknown>;
  expect(summary).toMatchObject({ durationMinutes: 139, usersAffected: 3808 });
  const summaryMarkdown = await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/summary.md`);
  expect(summaryMarkdown.headers.get('content-type')).toMatch(/^text\/markdown/);
  expect(await summaryMarkdown.text()).toContain('3808');

  expect((await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca/versions/9.md`)).status).toBe(404);
  expect((await fetch(`${stack.renderer}/v1/incidents/nope/rca.md`)).status).toBe(404);
  expect((await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca.md?preparedOn=yesterday`)).status).toBe(400);
});

test('a later incident of the same category links the previous one as related', async () => {
  const at = (time: string) => `2025-05-10T${time}:00Z`;
  const event = (id: string, type: string, time: string, data: Record<string, unknown>) => ({
    id: `later-${id}`,
    type,
    occurredAt: at(time),
    source: 'api',
    service: 'payment-service',
    incidentKey: 'INC-2025-0510-PAY',
    data,
  });
  const later = [
    event('declared', 'incident.declared', '09:00', { severity: 'P2', team: 'Payments Team' }),
    event('cause', 'root_cause.identified', '09:20', { summary: 'stale feature flag', category: 'application' }),
    event('resolved', 'status.changed', '10:00', { status: 'resolved' }),
  ];
  expect((await post(later)).status).toBe(202);

  const markdown = await waitFor(async () => {
    const response = await fetch(`${stack.renderer}/v1/incidents/INC-2025-0510-PAY/rca.md?preparedOn=2025-05-11`);
    return response.status === 200 ? response.text() : null;
  }, 'the later incident on the renderer');
  expect(markdown).toContain('- [[2025-04-05-cache-invalidation-bug-order-service|Previous application incident]]');
  expect(markdown).toContain('- [[runbook-payment-service|payment-service Runbook]]');
  expect(markdown).toContain('# 2025-05-10 - Stale Feature Flag in payment-service');
});
