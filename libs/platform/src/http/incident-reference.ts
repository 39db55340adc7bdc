import { invalidRequest } from '../problems/problem.js';

/**
 * An incident id or linked key as it appears in a URL. Keys are 1-256 characters (EVENTS.md);
 * control characters (NUL among them) cannot be stored, so they are refused before any query.
 */
export function incidentReference(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (value.length === 0 || value.length > 256 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw invalidRequest([{ path: 'id', message: 'expected an incident id or key of 1-256 printable characters' }]);
  }
  return value;
}
