import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testEnvironment, waitFor } from '../support/environment.js';
import { npmRun } from '../support/npm-run.js';
import { runningStack } from '../support/stack.js';

/*
 * Issue 15's two tries from outside, as an operator makes them: the same events give the same incidents
 * through `npm run summary` (the CLI), through the running pipeline in every arrival order (each event
 * sent through ingest once the one before it is stored), and after `npm run rebuild`. The late alert
 * (10:00 sent first, 09:00 a few seconds later) is one incident; the stale case (a disk alert resolved
 * 20 minutes later, a latency alert a week on) is two, the first resolved by its alerts. "The same
 * incidents": the same ids, and the renderer's impact summary of each equal to the CLI's.
 */

const environment = testEnvironment('issue15');
const stack = runningStack(environment, ['ingest', 'timeline', 'renderer'], { LOG_LEVEL: 'warn' });
const root = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'aftermath-tries-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Envelope = { id: string; type: string; occurredAt: string; source: string; service: string; incidentKey?: string; data: Record<string, unknown> };

const alert = (id: string, service: string, occurredAt: string, alertName: string, extra: Partial<Envelope> = {}): Envelope => ({
  id, type: 'alert.triggered', occurredAt, source: 'alertmanager', service, data: { alertName, fingerprint: `${id}-fp` }, ...extra,
});

/** The late alert: sent 10:00 first, 09:00 after. One incident. */
const lateAlert = (tag: string) => [
  alert(`ten-${tag}`, `checkout-${tag}`, '2026-03-02T10:00:00Z', 'HighLatency', { incidentKey: `PD-${tag}` }),
  alert(`nine-${tag}`, `checkout-${tag}`, '2026-03-02T09:00:00Z', 'HighErrors'),
];

/** The stale case: a disk alert resolved 20 minutes later, a latency alert on the same service a week on. Two incidents. */
const staleCase = (tag: string) => {
  const disk = alert(`disk-${tag}`, `storage-${tag}`, '2026-01-01T10:00:00Z', 'DiskFull');
  return [disk, { ...disk, id: `disk-ok-${tag}`, type: 'alert.resolved', occurredAt: '2026-01-01T10:20:00Z' }, alert(`latency-${tag}`, `storage-${tag}`, '2026-01-08T09:00:00Z', 'HighLatency')];
};

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** Every arrival order of each try, each under its own tag (its own services and event ids). */
const runs = [
  ...permutations([0, 1]).map((order, n) => ({ name: `late alert, order ${order.join('')}`, incidents: 1, events: ((all) => order.map((i) => all[i]!))(lateAlert(`l${n}`)) })),
  ...permutations([0, 1, 2]).map((order, n) => ({ name: `stale case, order ${order.join('')}`, incidents: 2, events: ((all) => order.map((i) => all[i]!))(staleCase(`s${n}`)) })),
];

async function lookup(ids: string[]): Promise<{ id: string; status: string; incidentId?: string }[]> {
  const response = await fetch(`${stack.timeline}/v1/events/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids }) });
  return ((await response.json()) as { results: { id: string; status: string; incidentId?: string }[] }).results;
}

/** Incident id -> its event ids, as the timeline stores them. */
async function pipelinePartition(events: Envelope[]): Promise<Record<string, string[]>> {
  const partition: Record<string, string[]> = {};
  for (const result of await lookup(events.map((event) => event.id))) {
    expect(result.status).toBe('attached');
    (partition[result.incidentId!] ??= []).push(result.id);
  }
  for (const ids of Object.values(partition)) ids.sort();
  return partition;
}

function summaryCli(file: string, incident?: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['apps/renderer/dist/cli/summary.js', file, '--json', ...(incident ? ['--incident', incident] : [])], { cwd: root, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI's incidents of a log file: incident id -> its impact summary. With several, it lists them and each is asked for by id. */
function cliIncidents(events: Envelope[], name: string): Record<string, unknown> {
  const file = join(scratch, `${name.replace(/\W+/g, '-')}.ndjson`);
  writeFileSync(file, events.map((event) => JSON.stringify(event)).join('\n'));
  const whole = summaryCli(file);
  if (whole.code === 0) {
    const summary = JSON.parse(whole.stdout) as { incidentId: string };
    return { [summary.incidentId]: summary };
  }
  const ids = [...whole.stderr.matchAll(/^ {2}(inc-[0-9a-f]{16}) \(/gm)].map((match) => match[1]!);
  expect(whole.stderr).toContain(`the log holds ${ids.length} incidents`);
  return Object.fromEntries(ids.map((id) => [id, JSON.parse(summaryCli(file, id).stdout) as unknown]));
}

const rendererSummary = async (id: string) => {
  const response = await fetch(`${stack.renderer}/v1/incidents/${id}/summary`);
  return response.status === 200 ? response.json() : null;
};

/** The pipeline's incidents are the CLI's: the same ids holding the same events, and each renderer summary the CLI's. */
async function expectSameAsCli(run: (typeof runs)[number]): Promise<void> {
  const cli = cliIncidents(run.events, run.name);
  expect(Object.keys(cli)).toHaveLength(run.incidents);
  const partition = await pipelinePartition(run.events);
  expect(Object.keys(partition).sort()).toEqual(Object.keys(cli).sort());
  for (const [id, summary] of Object.entries(cli)) {
    await waitFor(async () => JSON.stringify(await rendererSummary(id)) === JSON.stringify(summary), `the renderer's summary of ${id} (${run.name}) equal to the CLI's`);
  }
}

test('each try gives the CLI\'s incidents through the pipeline in every arrival order', async () => {
  for (const run of runs) {
    for (const event of run.events) {
      const response = await fetch(`${stack.ingest}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
      expect(response.status).toBe(202);
      // Stored, attached or not yet (a resolution sent before its alert waits unattached).
      await waitFor(async () => ['attached', 'unattached'].includes((await lookup([event.id]))[0]!.status), `${event.id} stored`);
    }
  }
  for (const run of runs) await expectSameAsCli(run);
  // The stale case's first incident ended with its alert, 20 minutes after it started.
  const [disk] = await lookup(['disk-s0']);
  expect(await rendererSummary(disk!.incidentId!)).toMatchObject({ status: 'resolved', durationMinutes: 20 });
}, 240_000);

test('npm run rebuild keeps them', async () => {
  const before = await Promise.all(runs.map((run) => pipelinePartition(run.events)));
  const { code, stderr } = await npmRun('rebuild', { ...environment.env, LOG_LEVEL: 'warn' });
  expect([code, stderr]).toEqual([0, '']);
  expect(await Promise.all(runs.map((run) => pipelinePartition(run.events)))).toEqual(before);
  for (const run of runs) await expectSameAsCli(run);
}, 240_000);
