import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** Whether nothing listens on 127.0.0.1:port. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A single-node broker of this suite's own (scripts/kafka.sh with its own port and data dir), so a
 * test can stop Kafka under a running ingest without touching the shared broker on 9092.
 */
export interface PrivateBroker {
  address: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it if running and deletes its data dir. */
  destroy(): Promise<void>;
}

export async function privateBroker(label: string): Promise<PrivateBroker> {
  let port = 0;
  for (let candidate = 39092 + Math.floor(Math.random() * 2000) * 2; !port; candidate += 2) {
    // kafka.sh puts the KRaft controller on the next port.
    if ((await portFree(candidate)) && (await portFree(candidate + 1))) port = candidate;
  }
  const address = `127.0.0.1:${port}`;
  const dataDir = `${root}.data/${label}-kafka-${randomBytes(3).toString('hex')}`;
  const run = (command: 'start' | 'stop') =>
    new Promise<void>((resolve, reject) => {
      execFile('bash', ['scripts/kafka.sh', command], { cwd: root, env: { ...process.env, KAFKA_BROKERS: address, KAFKA_DATA_DIR: dataDir }, timeout: 120_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`kafka.sh ${command} (${address}) failed: ${error.message}\n${stdout}${stderr}`)) : resolve(),
      );
    });
  return {
    address,
    start: () => run('start'),
    stop: () => run('stop'),
    async destroy() {
      await run('stop').catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
