import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';

/** apps/web/views, from apps/web/src/pages (tests) and apps/web/dist/pages (built) alike. */
export const VIEWS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'views');

/** What every page gets: the person, the CSRF token of their forms, the page title. */
export interface PageContext {
  title: string;
  person: string;
  csrf: string;
  /** The stylesheet and scripts are versioned by start-up time so a new release is never served stale. */
  assetVersion?: string;
  [key: string]: unknown;
}

/**
 * The server-rendered pages: Handlebars views (escaped by default, `{{{ }}}` only for HTML we built),
 * one layout, partials from views/partials. Compiled once at start-up.
 */
@Injectable()
export class Views {
  private readonly engine = Handlebars.create();
  private readonly pages = new Map<string, Handlebars.TemplateDelegate>();
  private readonly layout: Handlebars.TemplateDelegate;
  private readonly assetVersion = Date.now().toString(36);

  constructor() {
    const partials = join(VIEWS_DIR, 'partials');
    for (const file of readdirSync(partials).filter((name) => name.endsWith('.hbs'))) {
      this.engine.registerPartial(file.slice(0, -4), readFileSync(join(partials, file), 'utf8'));
    }
    for (const file of readdirSync(VIEWS_DIR).filter((name) => name.endsWith('.hbs'))) {
      this.pages.set(file.slice(0, -4), this.engine.compile(readFileSync(join(VIEWS_DIR, file), 'utf8'), { strict: false }));
    }
    this.engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.engine.registerHelper('json', (value: unknown) => JSON.stringify(value));
    const layout = this.pages.get('layout');
    if (!layout) throw new Error(`no layout.hbs in ${VIEWS_DIR}`);
    this.layout = layout;
  }

  render(page: string, context: PageContext): string {
    const template = this.pages.get(page);
    if (!template) throw new Error(`no view ${page}.hbs`);
    const full = { ...context, assetVersion: this.assetVersion };
    return this.layout({ ...full, body: template(full) });
  }
}
