import { ArgumentsHost, Catch, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { problemOf, sendProblem } from '@app/platform';
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
    const problem = problemOf(error);
    const path = host.switchToHttp().getRequest<Request>().path;
    // Probes read problem+json, as from every other service (GET /health/ready answers 503 naming the failing checks).
    if (path.startsWith('/health/')) return sendProblem(response, problem, path);
    const upstream = error instanceof UpstreamError ? error : null;
    let heading = problem.title;
    let message = problem.detail ?? problem.title;
    if (problem.status === 404) {
      heading = 'Not found';
      message = upstream ? 'There is no incident with that id or key.' : 'There is no page at this address.';
    } else if (upstream && problem.status === 503) {
      heading = `The ${upstream.service} service is not answering`;
      message = `${upstream.detail}. Try again in a moment.`;
    } else if (problem.status >= 500) {
      heading = 'Something went wrong';
      message = 'The workspace could not build this page. The error is in its log.';
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    sendHtml(response, problem.status, this.views.render('error', pageContext(response, this.csrf, heading, { heading, message })));
  }
}
