import 'reflect-metadata';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError } from '../config/load-config.js';

export const MAX_BODY_BYTES = 1024 * 1024;

const LOG_LEVELS: Record<string, LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/** Creates a Nest HTTP app with the settings every Aftermath service shares. */
export async function createHttpApp(module: unknown, logLevel = 'info'): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module as never, {
    rawBody: true,
    logger: LOG_LEVELS[logLevel] ?? LOG_LEVELS.info!,
  });
  app.useBodyParser('json', { limit: MAX_BODY_BYTES, type: ['application/json', 'application/*+json'] });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}

/**
 * Runs `start`, turning configuration errors into one line on stderr and exit code 1,
 * as INTERFACES.md promises operators.
 */
export async function runService(name: string, start: () => Promise<INestApplication>): Promise<void> {
  try {
    await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${name}: ${error.message}\n`);
    } else {
      process.stderr.write(`${name}: failed to start: ${(error as Error).stack ?? error}\n`);
    }
    process.exit(1);
  }
}
