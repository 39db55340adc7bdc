import type { INestApplication } from '@nestjs/common';
import { startIngest } from '../../apps/ingest/src/app.js';
import { loadIngestConfig } from '../../apps/ingest/src/config.js';
import { startRenderer } from '../../apps/renderer/src/app.js';
import { loadRendererConfig } from '../../apps/renderer/src/config.js';
import { startTimeline } from '../../apps/timeline/src/app.js';
import { loadTimelineConfig } from '../../apps/timeline/src/config.js';
import { startNotifier } from '../../apps/notifier/src/app.js';
import { loadNotifierConfig } from '../../apps/notifier/src/config.js';
import { startWeb } from '../../apps/web/src/app.js';
import { loadWebConfig } from '../../apps/web/src/config.js';
import type { TestEnvironment } from './environment.js';

export interface RunningStack {
  ingest?: string;
  timeline?: string;
  renderer?: string;
  web?: string;
  notifier?: string;
  close(): Promise<void>;
}

export type ServiceName = 'ingest' | 'timeline' | 'renderer' | 'web' | 'notifier';

/**
 * Starts the chosen services in this process, on free ports, against the real broker and database.
 * The web workspace reads and writes through the services started before it (list it last); ingest
 * reads the dead letters it replays from a timeline started before it.
 */
export async function startStack(environment: TestEnvironment, services: ServiceName[], extraEnv: Record<string, string> = {}): Promise<RunningStack> {
  const env = { ...environment.env, INGEST_PORT: '0', TIMELINE_PORT: '0', RENDERER_PORT: '0', INGEST_HOST: '127.0.0.1', TIMELINE_HOST: '127.0.0.1', RENDERER_HOST: '127.0.0.1', WEB_PORT: '0', WEB_HOST: '127.0.0.1', NOTIFIER_PORT: '0', NOTIFIER_HOST: '127.0.0.1', ...extraEnv };
  const apps: INestApplication[] = [];
  const urls: Partial<Record<ServiceName, string>> = {};
  try {
    for (const service of services) {
      const app =
        service === 'ingest'
          ? await startIngest(loadIngestConfig({ TIMELINE_URL: urls.timeline, ...env }))
          : service === 'timeline'
            ? await startTimeline(loadTimelineConfig(env))
            : service === 'renderer'
              ? await startRenderer(loadRendererConfig(env))
              : service === 'notifier'
                ? await startNotifier(loadNotifierConfig(env))
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

/**
 * `services` (startStack) started before a suite's tests, and closed with the suite's database dropped
 * after them; the returned stack's fields are there from the first test on. Jest runs a file's hooks in
 * the order they are declared: a suite's hooks declared before this call run before the start and before
 * the close (a browser holding live streams open), those declared after it once the services answer and
 * once they are closed. `extraEnv` as a function is read at the start.
 */
export function runningStack(environment: TestEnvironment, services: ServiceName[], extraEnv: Record<string, string> | (() => Record<string, string>) = {}): RunningStack {
  const stack = {} as RunningStack;
  beforeAll(async () => {
    Object.assign(stack, await startStack(environment, services, typeof extraEnv === 'function' ? extraEnv() : extraEnv));
  }, 120_000);
  afterAll(async () => {
    await stack.close?.();
    await environment.dropDatabase();
  }, 60_000);
  return stack;
}
