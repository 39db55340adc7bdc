import type { IncidentEvent } from './envelope.js';
import { parseEvent, type ValidationIssue } from './parse-event.js';

export interface EventLogError {
  /** 1-based line number in the NDJSON text. */
  line: number;
  issues: ValidationIssue[];
}

export interface ParsedEventLog {
  events: IncidentEvent[];
  errors: EventLogError[];
}

/** Parses NDJSON (one envelope per line, blank lines ignored); a bad line is reported, never fatal. */
export function parseEventLog(ndjson: string): ParsedEventLog {
  const events: IncidentEvent[] = [];
  const errors: EventLogError[] = [];
  ndjson.split(/\r?\n/).forEach((text, index) => {
    if (text.trim() === '') return;
    const line = index + 1;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      errors.push({ line, issues: [{ path: '', message: 'not valid JSON' }] });
      return;
    }
    const result = parseEvent(json);
    if (result.ok) events.push(result.event);
    else errors.push({ line, issues: result.issues });
  });
  return { events, errors };
}
