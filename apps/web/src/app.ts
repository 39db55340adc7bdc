import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { createHttpApp } from '@app/platform';
import { personMiddleware } from './access/person.js';
import type { WebConfig } from './config.js';
import { WebModule } from './web.module.js';

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'static');
/** Mermaid ships with the app (npm), served from here: the RCA page needs no internet. */
const MERMAID_DIR = dirname(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'));

/** Scripts and styles from this origin only; Mermaid's SVG carries inline styles. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

export async function startWeb(config: WebConfig): Promise<NestExpressApplication> {
  const app = await createHttpApp(WebModule.register(config), config.LOG_LEVEL, { service: 'web' });
  app.disable('x-powered-by');
  app.use((_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  app.useStaticAssets(MERMAID_DIR, { prefix: '/static/mermaid/', index: false, maxAge: '1d' });
  app.useStaticAssets(STATIC_DIR, { prefix: '/static/', index: false, maxAge: '1h' });
  app.use(personMiddleware(config));
  app.useBodyParser('urlencoded', { extended: false, limit: '64kb' });
  if (!config.WEB_TRUSTED_USER_HEADER) {
    new Logger('Web').warn('WEB_TRUSTED_USER_HEADER is not set: the workspace serves this machine only, as its local user');
  }
  await app.listen(config.WEB_PORT, config.WEB_HOST);
  new Logger('Web').log(`web listening on ${await app.getUrl()}`);
  return app;
}
