import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/*
 * A short run of `npm run chaos` (chaos/run.mjs, docs/reliability.md) inside `npm test`: its own
 * PostgreSQL cluster and Kafka broker, ingest, timeline and renderer as child processes, 4,000 events
 * sent by Alertmanager-like senders over 200 s while the timeline is SIGKILLed twice and the renderer
 * once (each inside an open transaction), PostgreSQL crashes and restarts, the broker restarts cleanly
 * and is SIGKILLed, and ingest restarts. Every event acknowledged with 202 must be stored exactly once,
 * unchanged, in the incident the generator meant it for; the incidents must equal a rebuild (projections
 * and the log correlated afresh); incident-timeline.v1 must carry every attached event; the renderer
 * must converge. Needs the built dist (npm test builds first), Java 17 (the broker) and PostgreSQL's
 * server binaries (initdb, pg_ctl).
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const EVENTS = Number(process.env.CHAOS_E2E_EVENTS ?? 4000);

interface ChaosResult {
  ok: boolean;
  line: string;
  incidentLine: string;
  failures: string[];
  warnings: string[];
  sent: number;
  acknowledged: number;
  stored: number;
  lost: number;
  duplicated: number;
  altered: number;
  givenUp: number;
  rejected: number;
  incidents: { expected: number; stored: number; split: number; merged: number; misplaced: number };
  projections: { incidents: number; mismatched: number };
  fresh: { placedDifferently: number; statesDiffer: number };
  timelineTopic: { missing: number; notAttached: number; misrouted: number };
  renderer: { eventsDiffer: number; statesDiffer: number; missingDrafts: number; staleDrafts: number };
  deadLetters: { produced: number; inDeadLetterTopic: number };
  faults: { fault: string; error?: string; midTransaction?: boolean; duringSending: boolean }[];
  crashes: { ingest: unknown[]; timeline: unknown[]; renderer: unknown[] };
  senders: { timeouts: number; slowestFailureMs: number };
}

let child: ChildProcess | undefined;

afterAll(async () => {
  // A timed-out test must not leave the harness (and its broker and cluster) running: SIGINT makes it clean up.
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGINT');
    await new Promise((resolve) => child!.once('exit', resolve));
  }
}, 120_000);

function runChaos(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    child = spawn(process.execPath, ['chaos/run.mjs', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test(`chaos: ${EVENTS} events through timeline and renderer SIGKILLs, a PostgreSQL crash, broker restarts (one SIGKILL) and an ingest restart: none lost, none duplicated, none misgrouped, equal to a rebuild`, async () => {
  const run = await runChaos(['--events', String(EVENTS), '--duration', '200', '--down-ms', '2000', '--settle-timeout', '150', '--json']);
  const lastLine = run.stdout.trim().split('\n').at(-1) ?? '';
  let result: ChaosResult;
  try {
    result = JSON.parse(lastLine) as ChaosResult;
  } catch {
    throw new Error(`chaos/run.mjs printed no result (exit ${run.code}); its log:\n${run.stderr.slice(-6000)}`);
  }
  const context = `${result.line}\nfailures: ${JSON.stringify(result.failures, null, 2)}\nwarnings: ${JSON.stringify(result.warnings)}\nlog:\n${run.stderr.slice(-4000)}`;
  expect({ ok: result.ok, exit: run.code, context: result.ok ? '' : context }).toEqual({ ok: true, exit: 0, context: '' });

  expect(result.line).toBe(`${EVENTS} sent, ${EVENTS} acknowledged, ${EVENTS} stored, 0 lost, 0 duplicated`);
  const expected = result.incidents.expected;
  expect(expected).toBeGreaterThan(100);
  expect(result.incidentLine).toBe(`incidents: ${expected} expected, ${expected} stored, 0 split, 0 merged, 0 misplaced`);
  expect(result.fresh).toMatchObject({ placedDifferently: 0, statesDiffer: 0 });
  expect(result.timelineTopic).toMatchObject({ missing: 0, notAttached: 0, misrouted: 0 });
  expect(result.renderer).toMatchObject({ eventsDiffer: 0, statesDiffer: 0, missingDrafts: 0, staleDrafts: 0 });
  expect({ lost: result.lost, duplicated: result.duplicated, altered: result.altered, givenUp: result.givenUp, rejected: result.rejected }).toEqual({
    lost: 0,
    duplicated: 0,
    altered: 0,
    givenUp: 0,
    rejected: 0,
  });
  expect(result.projections.incidents).toBeGreaterThan(0);
  expect(result.projections.mismatched).toBe(0);
  expect(result.deadLetters.inDeadLetterTopic).toBeGreaterThanOrEqual(result.deadLetters.produced);
  // Every fault of the schedule happened while events were being sent, each SIGKILL of a service inside one of
  // its transactions (PostgreSQL reported it aborted), and the pipeline made progress again after each.
  const outcome = (fault: ChaosResult['faults'][number]) => fault.error ?? (fault.midTransaction === false ? 'not mid-transaction' : fault.duringSending ? 'ok' : 'after sending');
  expect(result.faults.map((fault) => [fault.fault, outcome(fault)])).toEqual([
    ['kill-timeline', 'ok'],
    ['kill-renderer', 'ok'],
    ['restart-postgres', 'ok'],
    ['restart-kafka', 'ok'],
    ['restart-ingest', 'ok'],
    ['kill-kafka', 'ok'],
    ['kill-timeline', 'ok'],
  ]);
  expect(result.faults.filter((fault) => fault.fault.startsWith('kill-') && fault.fault !== 'kill-kafka').map((fault) => fault.midTransaction)).toEqual([true, true, true]);
  expect(result.crashes).toEqual({ ingest: [], timeline: [], renderer: [] });
  // Even while the broker was away, ingest answered every request (a 503 at worst) well within the senders' 30 s.
  expect(result.senders.timeouts).toBe(0);
}, 420_000);
