import type { Request, Response } from 'express';
import type { CsrfTokens } from '../access/csrf.js';
import type { PageContext } from './views.js';

/** The person and their form token, for every page. */
export function pageContext(response: Response, csrf: CsrfTokens, title: string, extra: Record<string, unknown> = {}): PageContext {
  const person = response.locals.person?.name ?? 'unknown';
  return { title, person, csrf: csrf.tokenFor(person), ...extra };
}

export function sendHtml(response: Response, status: number, html: string): void {
  response.status(status).type('text/html; charset=utf-8').setHeader('Cache-Control', 'no-store');
  response.send(html);
}

/** The request's query as plain values (express may give arrays or objects for repeated or bracketed names). */
export const queryOf = (request: Request) => request.query as Record<string, unknown>;
