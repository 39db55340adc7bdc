import { readFileSync } from 'node:fs';
import { parseEventLog, type IncidentEvent } from '@app/domain';

/** A problem with the command's input: printed on stderr, exit code 1, nothing on stdout. */
export class InputError extends Error {}

// Enough to fix a hand-written log; a machine-generated bad log would otherwise flood the terminal.
const MAX_REPORTED = 20;

/** Every event of an NDJSON log; any bad line is an InputError naming its line number and field. */
export function readEventLog(path: string): IncidentEvent[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError(`cannot read ${path}: ${reason}`);
  }
  const { events, errors } = parseEventLog(text);
  if (errors.length === 0) return events;
  const lines = errors.flatMap(({ line, issues }) =>
    issues.map((issue) => `${path}:${line}: ${issue.path === '' ? 'event' : issue.path}: ${issue.message}`),
  );
  const more = lines.length > MAX_REPORTED ? [`... and ${lines.length - MAX_REPORTED} more`] : [];
  throw new InputError([...lines.slice(0, MAX_REPORTED), ...more].join('\n'));
}
