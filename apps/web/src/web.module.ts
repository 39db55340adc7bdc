import { Controller, Get, Module, Res, type DynamicModule } from '@nestjs/common';
import type { Response } from 'express';
import { APP_FILTER } from '@nestjs/core';
import { createMetricsRegistry, HealthController, METRICS_REGISTRY, MetricsController, OpenApiController, openApiProvider, READINESS_CHECKS, type ReadinessCheck } from '@app/platform';
import { CsrfTokens } from './access/csrf.js';
import { AnalyticsController } from './analytics/analytics.controller.js';
import { WEB_CONFIG, type WebConfig } from './config.js';
import { IncidentPages } from './incidents/incident-pages.js';
import { IncidentsController } from './incidents/incidents.controller.js';
import { LiveUpdates } from './live/live-updates.js';
import { webOpenApi } from './openapi.js';
import { HtmlErrorFilter } from './pages/html-error.filter.js';
import { Views } from './pages/views.js';
import { RcaController } from './rca/rca.controller.js';
import { RecordsController } from './records/records.controller.js';
import { IngestApi } from './upstream/ingest-api.js';
import { RendererApi } from './upstream/renderer-api.js';
import { TimelineApi } from './upstream/timeline-api.js';

/** `/` is the list of incidents. */
@Controller()
export class HomeController {
  @Get()
  home(@Res() response: Response): void {
    response.redirect(302, '/incidents');
  }
}

@Module({})
export class WebModule {
  static register(config: WebConfig): DynamicModule {
    return {
      module: WebModule,
      controllers: [HealthController, MetricsController, OpenApiController, HomeController, IncidentsController, RecordsController, RcaController, AnalyticsController],
      providers: [
        { provide: WEB_CONFIG, useValue: config },
        { provide: METRICS_REGISTRY, useValue: createMetricsRegistry('web') },
        {
          // Ready when the services it reads and writes through answer.
          provide: READINESS_CHECKS,
          useFactory: (timeline: TimelineApi, renderer: RendererApi, ingest: IngestApi): ReadinessCheck[] => [
            { name: 'timeline', check: () => timeline.ready() },
            { name: 'renderer', check: () => renderer.ready() },
            { name: 'ingest', check: () => ingest.live() },
          ],
          inject: [TimelineApi, RendererApi, IngestApi],
        },
        { provide: APP_FILTER, useClass: HtmlErrorFilter },
        openApiProvider(webOpenApi),
        Views,
        CsrfTokens,
        LiveUpdates,
        TimelineApi,
        RendererApi,
        IngestApi,
        IncidentPages,
      ],
    };
  }
}
