import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@app/platform';
import type { DeadLetterTopic } from './dead-letter-row.js';
import { DeadLetterStore } from './dead-letter-store.js';

/**
 * aftermath_timeline_dead_letters{topic,kind,state}: the letters stored, pending or replayed, counted when
 * scraped; aftermath_timeline_dead_letters_unstorable_total{topic}: letters that could not be stored even
 * stripped (keepDeadLetters), logged and left so their partition moves on.
 */
@Injectable()
export class DeadLetterMetrics {
  private readonly unstorable: Counter<'topic'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, store: DeadLetterStore) {
    new Gauge({
      name: 'aftermath_timeline_dead_letters',
      help: 'Dead letters stored by the timeline (GET /v1/dead-letters), by dead-letter topic, kind (webhook: a body ingest kept aside; event: a message a consumer refused) and state (pending, replayed)',
      labelNames: ['topic', 'kind', 'state'],
      registers: [registry],
      async collect() {
        try {
          const counts = await store.counts();
          this.reset();
          for (const { topic, kind, replayed, letters } of counts) this.set({ topic, kind, state: replayed ? 'replayed' : 'pending' }, letters);
        } catch {
          // Database down: keep the last figures; /health/ready reports the outage.
        }
      },
    });
    this.unstorable = new Counter({
      name: 'aftermath_timeline_dead_letters_unstorable_total',
      help: 'Dead letters that could not be stored even without their headers: logged (with their topic, partition and offset) and left, so the partition moves on',
      labelNames: ['topic'],
      registers: [registry],
    });
  }

  letterLeft(topic: DeadLetterTopic): void {
    this.unstorable.inc({ topic });
  }
}
