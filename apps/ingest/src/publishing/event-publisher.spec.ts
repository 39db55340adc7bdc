import type { IncidentEvent } from '@app/domain';
import { isProblem, topicNames } from '@app/platform';
import type { Kafka, ProducerRecord } from 'kafkajs';
import { EventPublisher } from './event-publisher.js';

const event = (id: string) => ({ id, type: 'note.added', occurredAt: '2025-04-05T15:28:00Z', source: 'api', service: 'svc', data: { text: id } }) as IncidentEvent;
const events = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => event(`${prefix}-${i}`));

/** A producer whose sends stay pending until the test settles them, like kafkajs's idempotent producer under its broker lock. */
function fakeKafka() {
  const sends: { ids: string[]; settle(error?: Error): void }[] = [];
  const producer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: (record: ProducerRecord) =>
      new Promise<void>((resolve, reject) => {
        sends.push({ ids: record.messages.map((m) => JSON.parse(String(m.value)).id), settle: (error) => (error ? reject(error) : resolve()) });
      }),
  };
  return { kafka: { producer: () => producer } as unknown as Kafka, sends };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const outcome = (promise: Promise<void>) => promise.then(() => 'accepted', (error: unknown) => error);

describe('EventPublisher', () => {
  it('sends a lone request at once, and requests arriving meanwhile together in the next send', async () => {
    const { kafka, sends } = fakeKafka();
    const publisher = new EventPublisher(kafka, topicNames('t.'));
    const first = outcome(publisher.publish(events('a', 1)));
    await flush();
    expect(sends.map((s) => s.ids)).toEqual([['a-0']]);
    const later = [outcome(publisher.publish(events('b', 2))), outcome(publisher.publish(events('c', 1)))];
    await flush();
    expect(sends).toHaveLength(1);
    sends[0]!.settle();
    await flush();
    expect(sends.map((s) => s.ids)).toEqual([['a-0'], ['b-0', 'b-1', 'c-0']]);
    expect(await first).toBe('accepted');
    sends[1]!.settle();
    expect(await Promise.all(later)).toEqual(['accepted', 'accepted']);
  });

  it('never puts more than 1000 events in one send', async () => {
    const { kafka, sends } = fakeKafka();
    const publisher = new EventPublisher(kafka, topicNames('t.'));
    const all = [outcome(publisher.publish(events('a', 1))), outcome(publisher.publish(events('b', 600))), outcome(publisher.publish(events('c', 600)))];
    await flush();
    sends[0]!.settle();
    await flush();
    expect(sends.map((s) => s.ids.length)).toEqual([1, 600]);
    sends[1]!.settle();
    await flush();
    sends[2]!.settle();
    expect(await Promise.all(all)).toEqual(['accepted', 'accepted', 'accepted']);
  });

  it('answers the requests of a failed send, and those queued behind it, with 503 without sending them', async () => {
    const { kafka, sends } = fakeKafka();
    const publisher = new EventPublisher(kafka, topicNames('t.'));
    const first = outcome(publisher.publish(events('a', 1)));
    await flush();
    const queued = outcome(publisher.publish(events('b', 1)));
    await flush();
    sends[0]!.settle(new Error('Connection error: connect ECONNREFUSED'));
    expect(isProblem(await first, 'service-unavailable')).toBe(true);
    expect(isProblem(await queued, 'service-unavailable')).toBe(true);
    expect(sends).toHaveLength(1);
    const after = outcome(publisher.publish(events('c', 1)));
    await flush();
    sends[1]!.settle();
    expect(await after).toBe('accepted');
  });

  it('sends the requests of a group that is too large for Kafka one by one, so only the too-large one gets 413', async () => {
    const { kafka, sends } = fakeKafka();
    const publisher = new EventPublisher(kafka, topicNames('t.'));
    const tooLarge = () => Object.assign(new Error('too large'), { type: 'MESSAGE_TOO_LARGE' });
    const first = outcome(publisher.publish(events('a', 1)));
    await flush();
    const big = outcome(publisher.publish(events('big', 3)));
    const small = outcome(publisher.publish(events('small', 1)));
    await flush();
    sends[0]!.settle();
    await flush();
    expect(sends[1]!.ids).toEqual(['big-0', 'big-1', 'big-2', 'small-0']);
    sends[1]!.settle(tooLarge());
    await flush();
    expect(sends[2]!.ids).toEqual(['big-0', 'big-1', 'big-2']);
    sends[2]!.settle(tooLarge());
    await flush();
    expect(sends[3]!.ids).toEqual(['small-0']);
    sends[3]!.settle();
    expect(await first).toBe('accepted');
    expect(await big).toMatchObject({ type: 'content-too-large', status: 413 });
    expect(await small).toBe('accepted');
  });
});
