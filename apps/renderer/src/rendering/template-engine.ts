import { Problem } from '@app/domain';
import Handlebars from 'handlebars';

/** A template's source, or its source and where it came from (a path), so errors can name it. */
export type Template = string | { name: string; source: string };

/**
 * Handlebars' own message, less what only confuses an operator: a strict lookup names the context it searched as
 * `in [object Object]` and its place as ` - 2:3` (0-based column); the place is said in words instead.
 */
function describeFailure(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const { lineNumber, column } = cause as { lineNumber?: number; column?: number };
  if (lineNumber === undefined || column === undefined) return cause.message;
  const message = cause.message.replace(/ in \[object Object\]/, '').replace(/ - \d+:\d+$/, '');
  return `${message} (line ${lineNumber}, column ${column + 1})`;
}

/** A template that fails to compile or reads a field the view model lacks. */
const invalidTemplate = (templateName: string, cause: unknown) => new Problem('invalid-template', `template ${templateName}: ${describeFailure(cause)}`, { cause });

// Our own environment: helpers or partials someone registers on the global Handlebars never reach it.
const engine = Handlebars.create();

// strict: a misspelt field in a custom template is an error, not a silently empty line.
// noEscape false: `{{x}}` HTML-escapes, so only deliberate `{{{x}}}` emits text verbatim.
const COMPILE_OPTIONS = { strict: true, noEscape: false } as const;

// Stated explicitly (they are Handlebars' defaults) so an upgrade cannot widen what a template may reach.
const RUNTIME_OPTIONS = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
  allowCallsToHelperMissing: false,
} as const;

// Services render the same few templates many times; compiling once per source saves the parse.
const MAX_CACHED = 32;
const compiled = new Map<string, Handlebars.TemplateDelegate>();

function compile(source: string): Handlebars.TemplateDelegate {
  let template = compiled.get(source);
  if (!template) {
    if (compiled.size >= MAX_CACHED) compiled.clear();
    template = engine.compile(source, COMPILE_OPTIONS);
    compiled.set(source, template);
  }
  return template;
}

/** `\n` line endings and exactly one trailing newline, whatever the template file uses. */
export function normaliseOutput(text: string): string {
  return `${text.replace(/\r\n?/g, '\n').replace(/\n+$/, '')}\n`;
}

/** Renders `context` through `template`; throws an `invalid-template` problem naming the template on any failure. */
export function renderTemplate(template: Template, context: object): string {
  const { name, source } = typeof template === 'string' ? { name: '(custom)', source: template } : template;
  try {
    return normaliseOutput(compile(source)(context, RUNTIME_OPTIONS));
  } catch (error) {
    throw invalidTemplate(name, error);
  }
}
