import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { READ_TOKENS, ReadAccessGuard, serviceBasics } from '@app/platform';
import { NOTIFIER_CONFIG, targetsOf, type NotifierConfig } from './config.js';
import { DeliveriesController } from './deliveries/deliveries.controller.js';
import { DeliveryQueue } from './deliveries/delivery-queue.js';
import { DeliverySender } from './deliveries/delivery-sender.js';
import { NotifierMetrics } from './deliveries/notifier-metrics.js';
import { DraftsController } from './drafts/drafts.controller.js';
import { AnnounceIncidents } from './incidents/announce-incidents.js';
import { TimelineController } from './incidents/timeline.controller.js';
import { NoticeIntake } from './notices/notice-intake.js';
import { notifierOpenApi } from './openapi.js';
import { SlackLinksController } from './slack/slack-links.controller.js';
import { SlackMessages } from './slack/slack-messages.js';
import { SlackSender } from './slack/slack-sender.js';
import { DATA_SOURCE, TARGETS } from './tokens.js';

/** Starts the senders once the app is up; stops them, then closes the database, after Nest closed the consumers. */
@Injectable()
export class NotifierLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly deliveries: DeliverySender,
    private readonly slack: SlackSender,
  ) {}

  start(): void {
    this.deliveries.start();
    this.slack.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.deliveries.stop();
    await this.slack.stop();
    await this.dataSource.destroy().catch(() => undefined);
  }
}

@Module({})
export class NotifierModule {
  static register(config: NotifierConfig, dataSource: DataSource): DynamicModule {
    const basics = serviceBasics({ name: 'notifier', config, openApi: notifierOpenApi, dataSource, consumerStallSeconds: config.CONSUMER_STALL_SECONDS });
    return {
      module: NotifierModule,
      controllers: [...basics.controllers, DeliveriesController, TimelineController, DraftsController, SlackLinksController],
      providers: [
        ...basics.providers,
        { provide: NOTIFIER_CONFIG, useValue: config },
        { provide: READ_TOKENS, useValue: config.READ_TOKENS },
        { provide: DATA_SOURCE, useValue: dataSource },
        { provide: TARGETS, useValue: targetsOf(config) },
        ReadAccessGuard,
        DeliveryQueue,
        NotifierMetrics,
        DeliverySender,
        SlackMessages,
        SlackSender,
        NoticeIntake,
        AnnounceIncidents,
        NotifierLifecycle,
      ],
    };
  }
}
