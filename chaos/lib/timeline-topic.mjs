// incident-timeline.v1 read back from its start: the outbox promises a message for every attached event
// (at least once, so repeats are allowed), each naming an incident that answers for the event.
import { randomBytes } from 'node:crypto';
import { seconds, sleep } from './util.mjs';

/** Every message on `topic` up to its current end: event id -> the incident ids its messages named. */
export async function readTopic(kafka, topic, { timeoutMs = 120_000 } = {}) {
  const admin = kafka.client('aftermath-chaos-verify').admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((end) => Number(end.high) > Number(end.low)).map((end) => [end.partition, Number(end.high)]));
  const named = new Map();
  let messages = 0;
  if (remaining.size === 0) return { named, messages };
  const consumer = kafka.client('aftermath-chaos-verify').consumer({ groupId: `aftermath-chaos-verify-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          messages += 1;
          const { id, incidentId } = JSON.parse(message.value.toString('utf8'));
          if (!named.has(id)) named.set(id, new Set());
          named.get(id).add(incidentId);
          if (Number(message.offset) + 1 >= (remaining.get(batch.partition) ?? Infinity)) remaining.delete(batch.partition);
        }
      },
    });
    const deadline = performance.now() + timeoutMs;
    while (remaining.size > 0) {
      if (performance.now() > deadline) throw new Error(`could not read ${topic} to its end within ${seconds(timeoutMs)} (partitions left: ${[...remaining.keys()].join(', ')})`);
      await sleep(200);
    }
  } finally {
    await consumer.disconnect();
  }
  return { named, messages };
}

/**
 * The topic's event ids against the attached events: none missing, none that is not attached, and for each
 * attached event a message naming its incident or one merged into it (`answering` follows merges).
 */
export function compareTopicWithAttached({ named, messages }, partition) {
  const attached = [...partition.incidentOf].filter(([, incident]) => incident !== null);
  const missing = attached.filter(([id]) => !named.has(id)).map(([id]) => id);
  const notAttached = [...named.keys()].filter((id) => (partition.incidentOf.get(id) ?? null) === null);
  const misrouted = attached
    .filter(([id, incident]) => named.has(id) && ![...named.get(id)].some((named) => partition.answering(named) === incident))
    .map(([id, incident]) => ({ id, incident, named: [...named.get(id)] }));
  return {
    messages,
    distinctEvents: named.size,
    attached: attached.length,
    missing: missing.length,
    notAttached: notAttached.length,
    misrouted: misrouted.length,
    examples: { missing: missing.slice(0, 5), notAttached: notAttached.slice(0, 5), misrouted: misrouted.slice(0, 3) },
  };
}
