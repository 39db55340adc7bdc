import { readFileSync } from 'node:fs';
import { messageOf, parseEventLog, Problem, type IncidentEvent } from '@app/domain';

// Enough to fix a hand-written log; a machine-generated bad log would otherwise flood the terminal.
const MAX_REPORTED = 20;

/** Every event of an NDJSON log; any bad line is an `invalid-request` problem naming its line number and field. */
export function readEventLog(path: string): IncidentEvent[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : messageOf(error);
    throw new Problem('invalid-request', `cannot read ${path}: ${reason}`);
  }
  const { events, errors } = parseEventLog(text);
  if (errors.length === 0) return events;
  const lines = errors.flatMap(({ line, issues }) =>
    issues.map((issue) => `${path}:${line}: ${issue.path === '' ? 'event' : issue.path}: ${issue.message}`),
  );
  const more = lines.length > MAX_REPORTED ? [`... and ${lines.length - MAX_REPORTED} more`] : [];
  throw new Problem('invalid-request', [...lines.slice(0, MAX_REPORTED), ...more].join('\n'));
}
