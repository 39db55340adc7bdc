import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Consumer } from 'kafkajs';
import { correlateLog, project, type IncidentEvent } from '@app/domain';
import { ensureTopics } from '@app/platform';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';
import { freePort } from '../../../test/support/probes.js';
import { allIncidents, chunks, getJson, openKit, publish, random, shuffle, sleep, storedEventCount, waitUntilConsumed, type Envelope, type TimelineKit } from './support/timeline-kit.js';

/*
 * Crash safety for real: the built service runs as a child process, is SIGKILLed while a batch
 * transaction is open, and restarted. Offsets are committed only after the database commit, and the
 * event id is the primary key, so nothing is lost and nothing is stored or folded twice.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const environment = testEnvironment('tl_crash');
let kit: TimelineKit;
let child: { process: ChildProcess; output: string[] } | null = null;
let timelineReader: Consumer | undefined;

const INCIDENTS = 40;
const NOTES = 70;

/** 40 incidents of 74 events (alert, page, status, notes with and without key, customer impact) and 40 orphans. */
function workload(): Envelope[] {
  const events: Envelope[] = [];
  const at = (ms: number) => new Date(ms).toISOString();
  for (let i = 0; i < INCIDENTS; i += 1) {
    const t0 = Date.UTC(2025, 4, 10) + i * 600_000;
    const base = { source: 'api', service: `crash-svc-${i}`, incidentKey: `CRASH-${i}` };
    events.push({ ...base, id: `crash-${i}-alert`, type: 'alert.triggered', occurredAt: at(t0), source: 'alertmanager', data: { alertName: `CrashAlert${i}` } });
    events.push({ ...base, id: `crash-${i}-page`, type: 'page.sent', occurredAt: at(t0 + 60_000), source: 'pagerduty', data: { responder: 'primary' } });
    events.push({ ...base, id: `crash-${i}-status`, type: 'status.changed', occurredAt: at(t0 + 120_000), data: { status: 'investigating' } });
    for (let k = 0; k < NOTES; k += 1) {
      const note: Envelope = { ...base, id: `crash-${i}-note-${k}`, type: 'note.added', occurredAt: at(t0 + 180_000 + k * 10_000), data: { text: `note ${k}` } };
      if (k % 2 === 1) delete note.incidentKey; // joins by its service's window
      events.push(note);
    }
    events.push({ ...base, id: `crash-${i}-impact`, type: 'customer_impact.reported', occurredAt: at(t0 + 3_600_000), data: { usersAffected: i * 10 } });
  }
  for (let j = 0; j < INCIDENTS; j += 1) {
    events.push({ id: `crash-orphan-${j}`, type: 'note.added', occurredAt: at(Date.UTC(2025, 4, 10) + j * 1000), source: 'api', service: `crash-lonely-${j}`, incidentKey: `LONELY-${j}`, data: { text: 'nobody owns this' } });
  }
  return events;
}

function startChild(port: number) {
  const output: string[] = [];
  const processHandle = spawn(process.execPath, ['apps/timeline/dist/main.js'], {
    cwd: root,
    env: { ...process.env, ...environment.env, ...kit.serviceEnv, TIMELINE_PORT: String(port), TIMELINE_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  processHandle.stdout!.on('data', (data: Buffer) => output.push(data.toString()));
  processHandle.stderr!.on('data', (data: Buffer) => output.push(data.toString()));
  child = { process: processHandle, output };
  return child;
}

async function stopChild(signal: NodeJS.Signals) {
  if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = once(child.process, 'exit');
  child.process.kill(signal);
  const timer = setTimeout(() => child?.process.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  // The child runs the built service: build timeline and the libraries it references.
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'apps/timeline'], { cwd: root, stdio: 'pipe' });
  kit = await openKit(environment);
  await ensureTopics(kit.kafka, environment.topicPrefix);
}, 60_000);

afterAll(async () => {
  await stopChild('SIGTERM');
  if (timelineReader) {
    await timelineReader.disconnect();
    await kit.admin.deleteGroups([`${kit.group}-timeline-reader`]).catch(() => undefined);
  }
  await kit?.close();
  await environment.dropDatabase();
}, 30_000);

test('SIGKILL mid-batch, then restart: nothing lost, nothing duplicated, correlation and projections as if uninterrupted', async () => {
  const unique = workload();
  const next = random(4242);
  const resent = unique.filter(() => next() < 0.1);
  const stream = shuffle([...unique, ...resent], next);
  const phaseA = stream.slice(0, 2200);
  const phaseB = stream.slice(2200);
  for (const chunk of chunks(phaseA, 500)) await publish(kit, chunk);

  const port = await freePort();
  startChild(port);

  // Poll tightly: kill as soon as some batches are committed and a batch transaction is open. The child's
  // start-up (build, migrations, group join) varies with the machine's load, so the 20 s given to catch an
  // open transaction count from its first stored event, not from its start.
  const deadline = Date.now() + 60_000;
  let firstStoredAt: number | null = null;
  let killed: { stored: number; midTransaction: boolean } | null = null;
  const databaseName = new URL(environment.databaseUrl).pathname.slice(1);
  while (!killed) {
    if (firstStoredAt === null && Date.now() > deadline) throw new Error(`the child never stored anything:\n${child!.output.join('')}`);
    if (child!.process.exitCode !== null) throw new Error(`the child exited early:\n${child!.output.join('')}`);
    const rows = await kit
      .sql<{ stored: number; busy: number }>(
        `SELECT (SELECT count(*)::int FROM events) AS stored,
                (SELECT count(*)::int FROM pg_stat_activity
                  WHERE datname = $1 AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND state <> 'idle'
                    AND query ~ '(pg_advisory_xact_lock|INSERT INTO events|UPDATE events|incidents|timeline_outbox \\(|FROM events)') AS busy`,
        [databaseName],
      )
      .catch(() => null); // the database appears when the child has migrated it
    const row = rows?.[0];
    if (row && row.stored > 0) firstStoredAt ??= Date.now();
    if (row && row.stored > 0 && (row.busy > 0 || Date.now() > firstStoredAt! + 20_000)) {
      child!.process.kill('SIGKILL');
      killed = { stored: row.stored, midTransaction: row.busy > 0 };
    } else {
      await sleep(rows ? 3 : 50);
    }
  }
  await once(child!.process, 'exit');
  const uniqueInPhaseA = new Set(phaseA.map((event) => event.id)).size;
  expect(killed.midTransaction).toBe(true);
  expect(killed.stored).toBeGreaterThan(0);
  expect(killed.stored).toBeLessThan(uniqueInPhaseA);
  const afterKill = await storedEventCount(kit);
  expect(afterKill).toBeLessThan(uniqueInPhaseA); // the open transaction died with the process

  // More events while the service is down, then the restart.
  for (const chunk of chunks(phaseB, 500)) await publish(kit, chunk);
  startChild(port);
  // Read incident-timeline.v1 meanwhile (joining a group takes seconds; overlap it with the wait).
  const published = new Map<string, string>();
  const wrongKeys: string[] = [];
  timelineReader = kit.kafka.consumer({ groupId: `${kit.group}-timeline-reader`, maxWaitTimeInMs: 100 });
  await timelineReader.connect();
  await timelineReader.subscribe({ topic: kit.topics.timeline, fromBeginning: true });
  await timelineReader.run({
    eachMessage: async ({ message }) => {
      const value = JSON.parse(message.value!.toString()) as Envelope & { incidentId: string };
      published.set(value.id, value.incidentId);
      if (message.key?.toString() !== value.incidentId) wrongKeys.push(value.id);
    },
  });
  // The dead member holds its partitions until its session times out (30 s), then the restart takes over.
  await waitUntilConsumed(kit, 60_000);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${base}/health/ready`)).status === 200, 'the restarted timeline', 20_000);

  // Stored exactly once.
  expect(await storedEventCount(kit)).toBe(unique.length);
  const stored = await kit.sql<{ event_id: string; incident_id: string | null; payload: Envelope }>('SELECT event_id, incident_id, payload FROM events');
  const byId = new Map(unique.map((event) => [event.id, event]));
  expect(new Set(stored.map((row) => row.event_id)).size).toBe(unique.length);
  for (const row of stored) expect(row.payload).toEqual(byId.get(row.event_id));
  expect(await kit.sql('SELECT count(*)::int AS n FROM event_conflicts')).toEqual([{ n: 0 }]);

  // Attached or unattached exactly as correlation of the whole log says.
  const expected = correlateLog(unique as unknown as IncidentEvent[], { marginMinutes: 30 });
  const groups = new Map<string, string[]>();
  for (const row of stored) if (row.incident_id) groups.set(row.incident_id, [...(groups.get(row.incident_id) ?? []), row.event_id]);
  const asSets = (lists: string[][]) => lists.map((ids) => [...ids].sort().join(',')).sort();
  expect(expected.incidents).toHaveLength(INCIDENTS);
  expect(asSets([...groups.values()])).toEqual(asSets(expected.incidents.map((incident) => incident.events.map((event) => event.id))));
  expect(stored.filter((row) => !row.incident_id).map((row) => row.event_id).sort()).toEqual(expected.unattached.map((event) => event.id).sort());
  const unattached = await getJson<{ total: number }>(`${base}/v1/unattached-events`);
  expect(unattached.total).toBe(INCIDENTS);

  // Every projection is the pure projection of its stored events: nothing folded twice.
  const states = await allIncidents(base);
  expect(states).toHaveLength(INCIDENTS);
  for (const state of states) {
    const events = stored.filter((row) => row.incident_id === state.id).map((row) => row.payload as unknown as IncidentEvent);
    expect(state.eventCount).toBe(NOTES + 4);
    expect(state).toEqual(project(state.id, events));
  }
  const report = await getJson(`${base}/v1/admin/rebuild`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(report).toMatchObject({ incidents: INCIDENTS, events: INCIDENTS * (NOTES + 4) });
  expect(await allIncidents(base)).toEqual(states);

  // The outbox drains, and every attached event reaches incident-timeline.v1 (at least once) with its incident.
  await waitFor(async () => (await kit.sql<{ n: number }>('SELECT count(*)::int AS n FROM timeline_outbox'))[0]!.n === 0, 'the outbox to drain');
  const attached = stored.filter((row) => row.incident_id);
  await waitFor(async () => published.size >= attached.length, 'every attached event on incident-timeline.v1', 20_000);
  for (const row of attached) expect(published.get(row.event_id)).toBe(row.incident_id);
  expect(wrongKeys).toEqual([]);
}, 90_000);
