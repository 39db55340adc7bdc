import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { KAFKA_BROKERS } from './environment.js';

/** Debian's kcat (librdkafka): a Kafka client other than kafkajs, with every codec. KCAT_BIN names another. */
export const KCAT_BIN = process.env.KCAT_BIN ?? '/usr/bin/kcat';

export type KafkaCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** Fails, rather than skips, when kcat is missing: `npm test` skips these files loudly, and CI fails (scripts/test.mjs). */
export function requireKcat(): void {
  if (!existsSync(KCAT_BIN)) throw new Error(`kcat not found at ${KCAT_BIN}: \`apt-get install kcat\` (Debian, as .ci/run does) or set KCAT_BIN`);
}

/**
 * Produces `messages` to one partition with kcat, one produce request compressed with `codec`, waiting for
 * every in-sync replica; rejects when kcat reports a delivery failure. Keys and values must hold neither a
 * tab nor a newline (kcat's delimiters here).
 */
export async function produceWithKcat(options: { topic: string; partition: number; codec: KafkaCodec; messages: { key: string; value: string }[]; maxMessageBytes?: number }): Promise<void> {
  requireKcat();
  const args = ['-b', KAFKA_BROKERS, '-P', '-t', options.topic, '-p', String(options.partition), '-z', options.codec, '-K', '\t', '-X', 'acks=all', '-X', 'linger.ms=50'];
  if (options.maxMessageBytes) args.push('-X', `message.max.bytes=${options.maxMessageBytes}`);
  const child = spawn(KCAT_BIN, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  child.stdin.end(options.messages.map((message) => `${message.key}\t${message.value}\n`).join(''));
  const code = await exited;
  if (code !== 0 || /Delivery failed|ERROR/.test(stderr)) throw new Error(`kcat exited ${code}: ${stderr.trim().slice(0, 2000)}`);
}
