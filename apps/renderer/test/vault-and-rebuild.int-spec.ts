import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleEvents } from '../../../test/support/fixtures.js';
import { npmRun } from '../../../test/support/npm-run.js';
import { runningStack } from '../../../test/support/stack.js';
import { lazySql, testEnvironment, waitFor } from '../../../test/support/environment.js';

const environment = testEnvironment('vault');
const db = lazySql(environment.databaseUrl);
let parent: string;
let vault: string;

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'aftermath-vault-'));
  vault = join(parent, 'vault');
});

const stack = runningStack(environment, ['ingest', 'timeline', 'renderer'], () => ({ LOG_LEVEL: 'error', RCA_OUTPUT_DIR: vault }));

afterAll(async () => {
  await db.end();
  await rm(parent, { recursive: true, force: true });
});

const post = (events: unknown) =>
  fetch(`${stack.ingest}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
const versions = async (key: string) => {
  const response = await fetch(`${stack.renderer}/v1/incidents/${key}/rca/versions`);
  return response.status === 200 ? ((await response.json()) as { versions: { version: number; preparedOn: string }[] }).versions : [];
};
const metric = async (name: string) => {
  const text = await (await fetch(`${stack.renderer}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith(`${name}{`) || row.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
};

/** `npm run rebuild` as an operator types it, against this suite's database and topics. */
const rebuild = () => npmRun('rebuild', { ...environment.env, RCA_OUTPUT_DIR: vault, LOG_LEVEL: 'warn' });

test('a vault that cannot be written never stops the drafts: the failure is counted and the next draft reaches the vault again', async () => {
  expect(await readdir(vault)).toEqual([]); // created at start-up by the configuration check
  // The folder turns into a file after start-up (a volume remounted, a cleanup job): writes now fail, even as root.
  await rm(vault, { recursive: true });
  await writeFile(vault, 'not a folder');

  expect((await post(exampleEvents())).status).toBe(202);
  await waitFor(async () => ((await versions('INC-2025-0405-ORD')).length === 1 ? true : null), 'the draft, despite the vault');
  expect(await metric('aftermath_renderer_vault_write_failures_total')).toBe(1);
  expect(await metric('aftermath_renderer_drafts_written_total')).toBe(1);

  await rm(vault);
  const lesson = { id: 'vault-lesson', type: 'lesson.recorded', occurredAt: '2025-04-06T11:00:00Z', source: 'api', service: 'order-service', incidentKey: 'INC-2025-0405-ORD', data: { kind: 'to_improve', text: 'Watch the vault' } };
  expect((await post(lesson)).status).toBe(202);
  await waitFor(async () => ((await versions('INC-2025-0405-ORD')).length === 2 ? true : null), 'the second draft version');
  expect(await readdir(vault)).toEqual(['2025-04-05-cache-invalidation-bug-order-service.md']);
  expect(await metric('aftermath_renderer_vault_write_failures_total')).toBe(1);
});

test('npm run rebuild makes the renderer follow the projection: stale rows and drafts are re-made, the preparation date kept, and a second rebuild adds nothing', async () => {
  const key = 'INC-2025-0405-ORD';
  const before = await versions(key);
  // The stored draft was prepared on another day: the rebuilt one keeps that date.
  const current = await (await fetch(`${stack.renderer}/v1/incidents/${key}/rca.md?preparedOn=2025-04-06`)).text();
  const stateNow = () => db.sql<{ state: unknown }>('SELECT state FROM renderer_incidents WHERE keys @> ARRAY[$1]', [key]);
  const projected = await stateNow();
  // What an older renderer left behind: a projection and a draft made by other code.
  await db.sql(`UPDATE renderer_incidents SET state = jsonb_set(state, '{eventCount}', '0') WHERE keys @> ARRAY[$1]`, [key]);
  await db.sql(`UPDATE rca_drafts SET markdown = 'made by the old template', prepared_on = '2025-04-06' WHERE version = $1 AND incident_id = (SELECT id FROM renderer_incidents WHERE keys @> ARRAY[$2])`, [before[0]!.version, key]);

  const first = await rebuild();
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/^re-correlated \d+ events: 1 incidents \(0 new, 0 joined into others\), 0 events moved \(0 to no incident\) in .*\nrebuilt 1 incidents from \d+ events .*\nrenderer: re-projected 1 incidents, 1 new draft versions in /);

  expect(await stateNow()).toEqual(projected);
  const after = await versions(key);
  expect(after.map((v) => v.version)).toEqual([before[0]!.version + 1, ...before.map((v) => v.version)]);
  expect(after[0]!.preparedOn).toBe('2025-04-06');
  expect(await (await fetch(`${stack.renderer}/v1/incidents/${key}/rca.md`)).text()).toBe(current);
  expect(await readFile(join(vault, '2025-04-05-cache-invalidation-bug-order-service.md'), 'utf8')).toBe(current);

  const second = await rebuild();
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('renderer: re-projected 1 incidents, 0 new draft versions');
  expect((await versions(key)).length).toBe(after.length);
});
