// A private single-node Kafka broker through scripts/kafka.sh, on its own ports and data dir, so the
// harness can stop and restart it without touching the shared broker on 9092.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { alive, root, runCommand } from './util.mjs';

const { Kafka, logLevel } = kafkajs;

export class PrivateKafka {
  constructor({ port, dataDir, log }) {
    this.port = port;
    this.dataDir = dataDir;
    this.log = log;
    this.running = false;
  }

  get brokers() {
    return `127.0.0.1:${this.port}`;
  }

  env() {
    return {
      ...process.env,
      KAFKA_BROKERS: this.brokers,
      KAFKA_DATA_DIR: this.dataDir,
      KAFKA_CONTROLLER_PORT: String(this.port + 1),
      KAFKA_HEAP_OPTS: process.env.CHAOS_KAFKA_HEAP_OPTS ?? '-Xms256m -Xmx512m',
    };
  }

  /** The broker pid scripts/kafka.sh recorded, when it is alive. */
  pid() {
    const file = join(this.dataDir, 'broker.pid');
    if (!existsSync(file)) return null;
    const pid = Number(readFileSync(file, 'utf8').trim());
    return pid && alive(pid) ? pid : null;
  }

  async start() {
    const result = await runCommand('bash', [join(root, 'scripts/kafka.sh'), 'start'], { env: this.env(), timeoutMs: 300_000 });
    if (result.code !== 0) throw new Error(`scripts/kafka.sh start failed:\n${result.stdout}${result.stderr}`);
    // kafka.sh leaves a broker it did not start alone: make sure this one is ours.
    if (!this.pid()) throw new Error(`scripts/kafka.sh did not start a broker of ours at ${this.brokers}:\n${result.stdout}`);
    this.running = true;
  }

  async stop() {
    const result = await runCommand('bash', [join(root, 'scripts/kafka.sh'), 'stop'], { env: this.env(), timeoutMs: 90_000 });
    this.running = false;
    if (result.code !== 0) throw new Error(`scripts/kafka.sh stop failed:\n${result.stdout}${result.stderr}`);
    return result.stdout.trim();
  }

  client(clientId = 'aftermath-chaos') {
    return new Kafka({ clientId, brokers: [this.brokers], logLevel: logLevel.NOTHING, retry: { retries: 3, initialRetryTime: 200 } });
  }

  /** Sum over partitions of (high watermark - committed offset) for `groupId` on `topic`; null when it cannot tell. */
  async lag(groupId, topic) {
    const admin = this.client().admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const byPartition = new Map(committed.partitions.map((p) => [p.partition, BigInt(p.offset)]));
      let lag = 0n;
      for (const end of ends) {
        const done = byPartition.get(end.partition) ?? -1n;
        const high = BigInt(end.high);
        const low = BigInt(end.low);
        lag += high - (done < 0n ? low : done);
      }
      return Number(lag);
    } finally {
      await admin.disconnect();
    }
  }

  /** Messages ever written to `topic` (sum of high watermarks; retention does not trim in a run). */
  async messageCount(topic) {
    const admin = this.client().admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      return ends.reduce((sum, end) => sum + Number(end.high), 0);
    } finally {
      await admin.disconnect();
    }
  }

  logTail(lines = 20) {
    try {
      return readFileSync(join(this.dataDir, 'server.log'), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async destroy({ keep = false } = {}) {
    if (this.pid()) await this.stop().catch((error) => this.log(`could not stop the private Kafka broker: ${error.message}`));
    if (!keep) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Stops the broker a killed earlier run left behind in `dataDir`, and removes its data. */
export async function stopLeftoverKafka(dataDir) {
  if (existsSync(join(dataDir, 'broker.pid'))) {
    await runCommand('bash', [join(root, 'scripts/kafka.sh'), 'stop'], { env: { ...process.env, KAFKA_DATA_DIR: dataDir }, timeoutMs: 90_000 });
  }
  rmSync(dataDir, { recursive: true, force: true });
}
