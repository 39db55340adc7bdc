import { createHttpApp, defaultListenHost, ensureTopics, KAFKA } from '@app/platform';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from '@nestjs/common';
import type { IngestConfig } from './config.js';
import { IngestModule } from './ingest.module.js';
import { IngestMetrics } from './metrics/ingest-metrics.js';
import { EventPublisher } from './publishing/event-publisher.js';

/** Starts ingest on `config.INGEST_PORT` (0 picks a free port; tests read it from `app.getUrl()`). */
export async function startIngest(config: IngestConfig): Promise<NestExpressApplication> {
  const logger = new Logger('Ingest');
  // Webhook secrets authenticate their senders too: with any of them, ingest serves other hosts.
  const credentials = [...config.INGEST_TOKENS, ...config.PAGERDUTY_WEBHOOK_SECRETS, ...config.GRAFANA_WEBHOOK_SECRET, config.SLACK_SIGNING_SECRET].filter((value): value is string => !!value);
  const app = await createHttpApp(IngestModule.register(config), config.LOG_LEVEL, {
    service: 'ingest',
    responseObserver: IngestMetrics,
    loopbackHostsUnless: { variable: 'INGEST_TOKENS', tokens: credentials },
  });
  if (config.INGEST_TOKENS.length === 0) {
    logger.warn('INGEST_TOKENS is not set: accepting requests WITHOUT a token, from this machine only (loopback). Set INGEST_TOKENS before exposing ingest.');
  }
  await ensureTopics(app.get(KAFKA), config.KAFKA_TOPIC_PREFIX);
  await app.get(EventPublisher).connect();
  await app.listen(config.INGEST_PORT, defaultListenHost(config.INGEST_HOST, credentials));
  logger.log(`ingest listening on ${await app.getUrl()}`);
  return app;
}
