// `npm start`: the whole pipeline in the foreground. Starts a local Kafka broker when none answers at
// KAFKA_BROKERS, checks PostgreSQL, runs ingest, timeline, renderer, the notifier and the web workspace; Ctrl-C stops everything it started.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { answers, ensurePostgres, kafkaBrokers, root } from './infra.mjs';
import { serviceEnvironment } from './service-node-options.mjs';
import { webEnvironment } from './web-environment.mjs';

const log = (line) => process.stderr.write(`aftermath: ${line}\n`);
const SERVICES = ['ingest', 'timeline', 'renderer', 'notifier', 'web'];
const children = new Map();
let stopping = false;

function supervise(name, command, args, env = process.env) {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
  const prefix = (stream, out) => {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) out.write(`[${name}] ${line}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  children.set(name, child);
  child.once('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      log(`${name} exited (${signal ?? `code ${code}`}): stopping everything`);
      void stop(1);
    }
  });
  return child;
}

const exited = (child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve)));

async function stop(code) {
  if (stopping) return;
  stopping = true;
  const services = SERVICES.map((name) => children.get(name)).filter(Boolean);
  for (const child of services) child.kill('SIGTERM');
  await Promise.race([Promise.all(services.map(exited)), new Promise((r) => setTimeout(r, 15_000))]);
  for (const child of services) if (child.exitCode === null) child.kill('SIGKILL');
  const kafka = children.get('kafka');
  if (kafka) {
    kafka.kill('SIGTERM');
    await exited(kafka);
  }
  log('stopped');
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

const started = performance.now();
try {
  await ensurePostgres(log);
  if (!(await answers(kafkaBrokers))) {
    log(`no Kafka broker answers at ${kafkaBrokers}: starting a local one`);
    supervise('kafka', 'bash', [join(root, 'scripts/kafka.sh'), 'run']);
    for (let i = 0; !(await answers(kafkaBrokers)); i += 1) {
      if (stopping) break;
      if (i > 240) throw new Error('the local Kafka broker did not answer within 120 s');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  for (const name of SERVICES) supervise(name, process.execPath, [join(root, `apps/${name}/dist/main.js`)], name === 'web' ? serviceEnvironment(webEnvironment()) : serviceEnvironment());
  log(`starting ingest :${process.env.INGEST_PORT ?? 3001}, timeline :${process.env.TIMELINE_PORT ?? 3002}, renderer :${process.env.RENDERER_PORT ?? 3003}, notifier :${process.env.NOTIFIER_PORT ?? 3005}, web http://127.0.0.1:${process.env.WEB_PORT ?? 3004}/incidents (${Math.round(performance.now() - started)} ms so far); Ctrl-C stops everything`);
} catch (error) {
  log(error.message);
  await stop(1);
}
