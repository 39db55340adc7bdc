import type { INestApplication } from '@nestjs/common';
import { startIngest } from '../../apps/ingest/src/app.js';
import { loadIngestConfig } from '../../apps/ingest/src/config.js';
import { startRenderer } from '../../apps/renderer/src/app.js';
import { loadRendererConfig } from '../../apps/renderer/src/config.js';
import { startTimeline } from '../../apps/timeline/src/app.js';
import { loadTimelineConfig } from '../../apps/timeline/src/config.js';
import { startWeb } from '../../apps/web/src/app.js';
import { loadWebConfig } from '../../apps/web/src/config.js';
import type { TestEnvironment } from './environment.js';

export interface RunningStack {
  ingest?: string;
  timeline?: string;
  renderer?: string;
  web?: string;
  close(): Promise<void>;
}

export type ServiceName = 'ingest' | 'timeline' | 'renderer' | 'web';

/**
 * Starts the chosen services in this process, on free ports, against the real broker and database.
 * The web workspace reads and writes through the services started before it (list it last).
 */
export async function startStack(environment: TestEnvironment, services: ServiceName[], extraEnv: Record<string, string> = {}): Promise<RunningStack> {
  const env = { ...environment.env, INGEST_PORT: '0', TIMELINE_PORT: '0', RENDERER_PORT: '0', INGEST_HOST: '127.0.0.1', TIMELINE_HOST: '127.0.0.1', RENDERER_HOST: '127.0.0.1', WEB_PORT: '0', WEB_HOST: '127.0.0.1', ...extraEnv };
  const apps: INestApplication[] = [];
  const urls: Partial<Record<ServiceName, string>> = {};
  try {
    for (const service of services) {
      const app =
        service === 'ingest'
          ? await startIngest(loadIngestConfig(env))
          : service === 'timeline'
            ? await startTimeline(loadTimelineConfig(env))
            : service === 'renderer'
              ? await startRenderer(loadRendererConfig(env))
              : await startWeb(loadWebConfig({ ...env, INGEST_URL: urls.ingest, TIMELINE_URL: urls.timeline, RENDERER_URL: urls.renderer, ...extraEnv }));
      apps.push(app);
      urls[service] = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    }
  } catch (error) {
    await Promise.all(apps.map((app) => app.close()));
    throw error;
  }
  return {
    ...urls,
    async close() {
      for (const app of apps.reverse()) await app.close();
    },
  };
}
