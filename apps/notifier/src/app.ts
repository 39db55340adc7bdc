import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { channelLinksTopic, createHttpApp, defaultListenHost, ensureChannelLinksTopic, ensureTopics, KAFKA, type HttpAppOptions } from '@app/platform';
import { targetsOf, type NotifierConfig } from './config.js';
import { notifierTransports } from './consumers.js';
import { NotifierLifecycle, NotifierModule } from './notifier.module.js';
import { openNotifierDataSource } from './store/data-source.js';

/**
 * Starts the notifier: migrations, topics, the HTTP API (the delivery log), its consumers as microservices
 * of the same Nest app, and the senders. A function, so another entry point can start it beside the others.
 */
export async function startNotifier(config: NotifierConfig, options: Pick<HttpAppOptions, 'logDestination'> = {}): Promise<NestExpressApplication> {
  const dataSource = await openNotifierDataSource(config.DATABASE_URL);
  const credentials = [...config.READ_TOKENS, ...config.ADMIN_TOKENS];
  const app = await createHttpApp(NotifierModule.register(config, dataSource), config.LOG_LEVEL, {
    ...options,
    service: 'notifier',
    loopbackHostsUnless: { variable: 'READ_TOKENS', tokens: credentials },
  });
  await ensureTopics(app.get(KAFKA), config.KAFKA_TOPIC_PREFIX);
  if (config.SLACK_BOT_TOKEN) await ensureChannelLinksTopic(app.get(KAFKA), channelLinksTopic(config.KAFKA_TOPIC_PREFIX));
  for (const transport of notifierTransports(app, config)) app.connectMicroservice({ strategy: transport });
  await app.listen(config.NOTIFIER_PORT, defaultListenHost(config.NOTIFIER_HOST, credentials));
  const logger = new Logger('Notifier');
  logger.log(`notifier listening on ${await app.getUrl()}`);
  const targets = targetsOf(config);
  logger.log(
    `${targets.filter((t) => t.channel === 'webhook').length} webhook subscription(s), ${targets.filter((t) => t.channel === 'teams').length} Teams webhook(s), Slack ${config.SLACK_BOT_TOKEN ? 'on' : 'off'}`,
  );
  app.get(NotifierLifecycle).start();
  await app.startAllMicroservices();
  return app;
}
