import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHttpApp, defaultListenHost, ensureTopics, KAFKA } from '@app/platform';
import type { RendererConfig } from './config.js';
import { loadRcaTemplate } from './drafts/rca-drafts.js';
import { timelineTransport } from './consumer/timeline-transport.js';
import { RendererLifecycle, RendererModule } from './renderer.module.js';
import { openRendererDataSource } from './store/data-source.js';

export async function startRenderer(config: RendererConfig): Promise<NestExpressApplication> {
  const rcaTemplate = loadRcaTemplate(config.RCA_TEMPLATE); // a broken custom template stops start-up before anything connects
  const dataSource = await openRendererDataSource(config.DATABASE_URL);
  const app = await createHttpApp(RendererModule.register(config, dataSource, rcaTemplate), config.LOG_LEVEL, {
    service: 'renderer',
    loopbackHostsUnless: { variable: 'READ_TOKENS', tokens: config.READ_TOKENS },
  });
  await ensureTopics(app.get(KAFKA), config.KAFKA_TOPIC_PREFIX);
  app.connectMicroservice({ strategy: timelineTransport(app, config) });
  await app.get(RendererLifecycle).start();
  await app.startAllMicroservices();
  await app.listen(config.RENDERER_PORT, defaultListenHost(config.RENDERER_HOST, config.READ_TOKENS));
  new Logger('Renderer').log(`renderer listening on ${await app.getUrl()}`);
  return app;
}
