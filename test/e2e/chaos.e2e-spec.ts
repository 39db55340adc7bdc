import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/*
 * A short run of `npm run chaos` (chaos/run.mjs, docs/reliability.md) inside `npm test`: its own
 * PostgreSQL cluster and Kafka broker, ingest and timeline as child processes, 4,000 events sent by
 * Alertmanager-like senders while the timeline is SIGKILLed twice, PostgreSQL crashes and restarts,
 * the broker restarts and ingest restarts. Every event acknowledged with 202 must be stored exactly
 * once and unchanged, and the projections must equal a fresh rebuild. Needs the built dist (npm test
 * builds first), Java 17 (the broker) and PostgreSQL's server binaries (initdb, pg_ctl).
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const EVENTS = Number(process.env.CHAOS_E2E_EVENTS ?? 4000);

interface ChaosResult {
  ok: boolean;
  line: string;
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
  projections: { incidents: number; mismatched: number };
  deadLetters: { produced: number; inDeadLetterTopic: number };
  faults: { fault: string; error?: string; midTransaction?: boolean }[];
  crashes: { ingest: unknown[]; timeline: unknown[] };
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

test(`chaos: ${EVENTS} events through timeline SIGKILLs, a PostgreSQL crash, a broker restart and an ingest restart: none lost, none duplicated, projections equal a rebuild`, async () => {
  const run = await runChaos(['--events', String(EVENTS), '--duration', '90', '--down-ms', '2000', '--settle-timeout', '150', '--json']);
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
  // Every fault of the schedule happened, and the pipeline made progress again after each.
  expect(result.faults.map((fault) => [fault.fault, fault.error ?? 'ok'])).toEqual([
    ['kill-timeline', 'ok'],
    ['restart-postgres', 'ok'],
    ['restart-kafka', 'ok'],
    ['restart-ingest', 'ok'],
    ['kill-timeline', 'ok'],
  ]);
  expect(result.crashes).toEqual({ ingest: [], timeline: [] });
  // Even while the broker was away, ingest answered every request (a 503 at worst) well within the senders' 30 s.
  expect(result.senders.timeouts).toBe(0);
}, 300_000);
