import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { serviceBasics } from '@app/platform';
import { RENDERER_CONFIG, type RendererConfig } from './config.js';
import { TimelineConsumer } from './consumer/timeline-consumer.js';
import { DraftsController } from './drafts/drafts.controller.js';
import { RCA_TEMPLATE, RcaDrafts } from './drafts/rca-drafts.js';
import type { Template } from './rendering/index.js';
import { RendererMetrics } from './drafts/renderer-metrics.js';
import { RendererStore } from './store/renderer-store.js';
import { rendererOpenApi } from './openapi.js';
import { DATA_SOURCE } from './tokens.js';

@Injectable()
export class RendererLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly consumer: TimelineConsumer,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  start(): Promise<void> {
    return this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
    await this.dataSource.destroy().catch(() => undefined);
  }
}

@Module({})
export class RendererModule {
  static register(config: RendererConfig, dataSource: DataSource, rcaTemplate: Template): DynamicModule {
    const basics = serviceBasics({ name: 'renderer', config, openApi: rendererOpenApi, dataSource });
    return {
      module: RendererModule,
      controllers: [...basics.controllers, DraftsController],
      providers: [
        ...basics.providers,
        { provide: RENDERER_CONFIG, useValue: config },
        { provide: RCA_TEMPLATE, useValue: rcaTemplate },
        { provide: DATA_SOURCE, useValue: dataSource },
        RendererMetrics,
        RendererStore,
        RcaDrafts,
        TimelineConsumer,
        RendererLifecycle,
      ],
    };
  }
}
