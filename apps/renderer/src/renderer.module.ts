import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { READ_TOKENS, ReadAccessGuard, serviceBasics } from '@app/platform';
import { RENDERER_CONFIG, type RendererConfig } from './config.js';
import { TimelineController } from './consumer/timeline.controller.js';
import { RendererLag } from './consumer/renderer-lag.js';
import { DraftRelay } from './drafts/draft-relay.js';
import { DraftWriter } from './drafts/draft-writer.js';
import { DraftsController } from './drafts/drafts.controller.js';
import { Vault } from './drafts/vault.js';
import { RCA_TEMPLATE, RcaDrafts } from './drafts/rca-drafts.js';
import type { Template } from './rendering/index.js';
import { RendererMetrics } from './drafts/renderer-metrics.js';
import { RendererStore } from './store/renderer-store.js';
import { rendererOpenApi } from './openapi.js';
import { DATA_SOURCE } from './tokens.js';

/** Stops the draft relay, then closes the database, after Nest closed the timeline transport (no more batches). */
@Injectable()
export class RendererLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly draftRelay: DraftRelay,
  ) {}

  async start(): Promise<void> {
    await this.draftRelay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.draftRelay.stop();
    await this.dataSource.destroy().catch(() => undefined);
  }
}

@Module({})
export class RendererModule {
  static register(config: RendererConfig, dataSource: DataSource, rcaTemplate: Template): DynamicModule {
    const basics = serviceBasics({ name: 'renderer', config, openApi: rendererOpenApi, dataSource, consumerStallSeconds: config.CONSUMER_STALL_SECONDS });
    return {
      module: RendererModule,
      controllers: [...basics.controllers, DraftsController, TimelineController],
      providers: [
        ...basics.providers,
        { provide: RENDERER_CONFIG, useValue: config },
        { provide: READ_TOKENS, useValue: config.READ_TOKENS },
        ReadAccessGuard,
        { provide: RCA_TEMPLATE, useValue: rcaTemplate },
        { provide: DATA_SOURCE, useValue: dataSource },
        RendererMetrics,
        RendererStore,
        RcaDrafts,
        Vault,
        DraftWriter,
        RendererLag,
        DraftRelay,
        RendererLifecycle,
      ],
    };
  }
}
