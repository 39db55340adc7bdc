// Shared by `npm start` and `npm test`: finds or starts what the services need.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const kafkaBrokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',')[0].trim();
export const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/aftermath';

export function answers(hostPort, timeoutMs = 1000) {
  const at = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, at).replace(/^\[|\]$/g, '');
  const port = Number(hostPort.slice(at + 1));
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export const databaseHostPort = () => {
  const url = new URL(databaseUrl);
  return `${url.hostname}:${url.port || 5432}`;
};

/** PostgreSQL must be running; on a Debian machine with a stopped local cluster, start it. */
export async function ensurePostgres(log) {
  if (await answers(databaseHostPort())) return;
  if (existsSync('/etc/postgresql') && spawnSync('which', ['pg_ctlcluster']).status === 0) {
    for (const version of readdirSync('/etc/postgresql')) {
      log(`PostgreSQL does not answer at ${databaseHostPort()}: starting the local cluster ${version}/main`);
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
    }
    for (let i = 0; i < 30 && !(await answers(databaseHostPort())); i += 1) await new Promise((r) => setTimeout(r, 500));
  }
  if (!(await answers(databaseHostPort()))) {
    throw new Error(`PostgreSQL does not answer at ${databaseHostPort()}: start it, or set DATABASE_URL to one that runs`);
  }
}

/** Returns true when this call started a broker (the caller then stops it). */
export async function ensureKafka(log) {
  if (await answers(kafkaBrokers)) return false;
  log(`no Kafka broker answers at ${kafkaBrokers}: starting a local one (scripts/kafka.sh)`);
  const started = spawnSync('bash', [join(root, 'scripts/kafka.sh'), 'start'], { stdio: 'inherit' });
  if (started.status !== 0) throw new Error('could not start the local Kafka broker (see above)');
  return true;
}

export function stopKafka() {
  spawnSync('bash', [join(root, 'scripts/kafka.sh'), 'stop'], { stdio: 'inherit' });
}

export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: root, ...options });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
