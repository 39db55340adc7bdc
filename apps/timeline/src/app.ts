import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHttpApp, defaultListenHost, ensureTopics, KAFKA } from '@app/platform';
import type { TimelineConfig } from './config.js';
import { openTimelineDataSource } from './event-store/data-source.js';
import { eventsTransport } from './consumer/events-transport.js';
import { deadLettersTransport } from './dead-letters/dead-letters-transport.js';
import { TimelineLifecycle, TimelineModule } from './timeline.module.js';

/**
 * Starts the timeline service: migrations, topics, the HTTP API, the outbox relay, and the events consumer
 * as a microservice of the same Nest app (a hybrid app).
 */
export async function startTimeline(config: TimelineConfig): Promise<NestExpressApplication> {
  const dataSource = await openTimelineDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const credentials = [...config.READ_TOKENS, ...config.ADMIN_TOKENS];
  const app = await createHttpApp(TimelineModule.register(config, dataSource), config.LOG_LEVEL, {
    service: 'timeline',
    loopbackHostsUnless: { variable: 'READ_TOKENS', tokens: credentials },
  });
  await ensureTopics(app.get(KAFKA), config.KAFKA_TOPIC_PREFIX);
  app.connectMicroservice({ strategy: eventsTransport(app, config) });
  app.connectMicroservice({ strategy: deadLettersTransport(app, config, 'events') });
  app.connectMicroservice({ strategy: deadLettersTransport(app, config, 'renderer') });
  // The API answers while the consumer joins its group: after a crash that can take a session timeout.
  await app.listen(config.TIMELINE_PORT, defaultListenHost(config.TIMELINE_HOST, credentials));
  new Logger('Timeline').log(`timeline listening on ${await app.getUrl()}`);
  await app.get(TimelineLifecycle).start();
  await app.startAllMicroservices();
  return app;
}
