import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CsrfTokens } from '../access/csrf.js';
import { UpstreamError } from '../upstream/upstream.js';
import { pageContext, sendHtml } from './page-context.js';
import { Views } from './views.js';

/** Errors as pages a person can read, with a way back; upstream outages say which service is missing. */
@Catch()
export class HtmlErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Web');

  constructor(
    private readonly views: Views,
    private readonly csrf: CsrfTokens,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    // Probes read JSON, as from every other service (GET /health/ready answers 503 with the failing checks).
    if (error instanceof HttpException && host.switchToHttp().getRequest<Request>().path.startsWith('/health/')) {
      response.status(error.getStatus()).json(error.getResponse());
      return;
    }
    let status = 500;
    let heading = 'Something went wrong';
    let message = 'The workspace could not build this page. The error is in its log.';
    if (error instanceof UpstreamError) {
      status = error.status === 404 ? 404 : 503;
      heading = status === 404 ? 'Not found' : `The ${error.service} service is not answering`;
      message = status === 404 ? 'There is no incident with that id or key.' : `${error.message}. Try again in a moment.`;
    } else if (error instanceof HttpException) {
      status = error.getStatus();
      heading = status === 404 ? 'Not found' : error.message;
      message = status === 404 ? 'There is no page at this address.' : error.message;
    }
    if (status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    sendHtml(response, status, this.views.render('error', pageContext(response, this.csrf, heading, { heading, message })));
  }
}
