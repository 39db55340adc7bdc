import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as PinoNestLogger, LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { isProblem } from '@app/domain';
import { createLogger, httpAccessLogger, loggerModuleParams } from '../logging/logger.js';
import type { RequestHandler } from 'express';
import { loopbackHostOnly } from '../access/loopback-host.middleware.js';
import { observeResponses, type HttpResponseObserver } from './response-observer.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpAppOptions {
  /** The `service` field of every log line (ingest, timeline, renderer). */
  service?: string;
  /** Where the JSON log lines go; stdout unless a test reads them back. */
  logDestination?: DestinationStream;
  /** A provider of the service's module that sees every finished response (e.g. to count requests). */
  responseObserver?: Type<HttpResponseObserver>;
  /**
   * Set when the service has no tokens configured: the variable that would configure them. Every request
   * must then name this machine in `Host` (DNS rebinding), whatever interface the service listens on.
   */
  loopbackHostsUnless?: { variable: string; tokens: readonly string[] };
}

/** Holds a service's module next to the logger module; carries no providers of its own. */
@Module({})
class HttpAppRoot {}

/**
 * Creates a Nest HTTP app with the settings every Aftermath service shares: JSON logs through pino
 * (`Logger` from @nestjs/common included, at `logLevel`), one access-log line per request, a 1 MiB
 * JSON body limit, no `X-Powered-By`, `X-Content-Type-Options: nosniff` (a browser must not guess
 * HTML into event text served as markdown or JSON) and shutdown on SIGTERM/SIGINT.
 */
export async function createHttpApp(module: unknown, logLevel = 'info', options: HttpAppOptions = {}): Promise<NestExpressApplication> {
  const logger = createLogger({ service: options.service ?? 'aftermath', level: logLevel, destination: options.logDestination });
  const root: DynamicModule = { module: HttpAppRoot, imports: [module as DynamicModule, LoggerModule.forRoot(loggerModuleParams(logger))] };
  const app = await NestFactory.create<NestExpressApplication>(root, { rawBody: true, bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(PinoNestLogger));
  // Both ahead of the body parser, so requests it refuses (413, invalid JSON) are logged and counted too.
  app.use(httpAccessLogger(logger));
  if (options.responseObserver) app.use(observeResponses(app.get(options.responseObserver)));
  app.disable('x-powered-by');
  app.use(noSniff);
  const access = options.loopbackHostsUnless;
  if (access && access.tokens.length === 0) app.use(loopbackHostOnly(access.variable));
  app.useBodyParser('json', { limit: MAX_BODY_BYTES, type: ['application/json', 'application/*+json'] });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}

const noSniff: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  next();
};

/**
 * Runs `start`, turning configuration errors into one line on stderr and exit code 1,
 * as INTERFACES.md promises operators.
 */
export async function runService(name: string, start: () => Promise<INestApplication>): Promise<void> {
  try {
    await start();
  } catch (error) {
    if (isProblem(error, 'invalid-configuration')) {
      process.stderr.write(`${name}: ${error.detail}\n`);
    } else {
      process.stderr.write(`${name}: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
    }
    process.exit(1);
  }
}
