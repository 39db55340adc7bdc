import { parseEvent, type IncidentEvent } from '@app/domain';
import type { FieldSpec, RecordForm } from './record-forms.js';

/** What a person typed, as the browser sent it (application/x-www-form-urlencoded). */
export type FormValues = Record<string, string>;

export interface FieldError {
  field: string;
  message: string;
}

export type FormResult = { ok: true; event: IncidentEvent } | { ok: false; errors: FieldError[] };

export interface RecordContext {
  incidentId: string;
  service: string;
  actor: string;
  /** The id given to the form when it was shown: sending the same form twice records one event. */
  eventId: string;
  /** Used when the form does not ask when (retractions, merges). */
  now: Date;
}

/** `2025-04-05T15:38` (datetime-local, read as UTC) or a full RFC 3339 instant. */
export function parseWhen(text: string): string | null {
  const value = text.trim();
  const local = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(value);
  const iso = local ? `${local[1]}T${local[2]}${local[3] ?? ':00'}Z` : value;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(iso) || Number.isNaN(Date.parse(iso))) return null;
  // Date.parse rolls 30 February over into March: the calendar date must exist as typed.
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  return iso;
}

/** A datetime-local value for `at`, in UTC, to the minute. */
export const whenValue = (at: Date) => at.toISOString().slice(0, 16);

const NUMBER = /^-?\d+(\.\d+)?$/;

function fieldValue(field: FieldSpec, raw: string | undefined, errors: FieldError[]): unknown {
  const text = (raw ?? '').trim();
  if (text === '') {
    if (field.required) errors.push({ field: field.name, message: `${field.label} is required.` });
    return undefined;
  }
  switch (field.kind) {
    case 'lines':
      return text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length > 0);
    case 'number': {
      const number = Number(text.replace(/[\s,]/g, ''));
      if (!NUMBER.test(text.replace(/[\s,]/g, '')) || !Number.isFinite(number)) {
        errors.push({ field: field.name, message: `${field.label} must be a number.` });
        return undefined;
      }
      return number;
    }
    case 'numberOrText':
      return NUMBER.test(text) ? Number(text) : text;
    default:
      return text;
  }
}

/** Messages of the catalogue's schema, said for a person rather than a program. */
function friendly(field: FieldSpec | undefined, message: string): string {
  const label = field?.label ?? 'This field';
  if (/expected one of|Invalid option/i.test(message)) return `${label}: choose one of the offered values.`;
  if (/too small|>=\s*0|non-?negative/i.test(message)) return `${label} cannot be negative.`;
  return `${label}: ${message}`;
}

/**
 * Turns a submitted form into the event it records, validated by the same schemas as ingest,
 * so a person sees each problem next to the field they typed it in.
 */
export function formToEvent(form: RecordForm, values: FormValues, context: RecordContext): FormResult {
  const errors: FieldError[] = [];
  const data: Record<string, unknown> = {};
  for (const field of form.fields) {
    const value = fieldValue(field, values[field.name], errors);
    if (value !== undefined) data[field.name] = value;
  }
  let occurredAt = context.now.toISOString();
  if (form.asksWhen) {
    const when = parseWhen(values.occurredAt ?? '');
    if (when === null) errors.push({ field: 'occurredAt', message: 'When: enter a date and time (UTC), e.g. 2025-04-05 15:38.' });
    else occurredAt = when;
  }
  if (errors.length > 0) return { ok: false, errors };
  const parsed = parseEvent({
    id: context.eventId,
    type: form.type,
    occurredAt,
    source: 'web',
    service: context.service,
    // A merge is sent with the key of the incident merged away; every other event names its incident.
    incidentKey: context.incidentId,
    actor: context.actor,
    data,
  });
  if (parsed.ok) return parsed;
  return {
    ok: false,
    errors: parsed.issues.map((issue) => {
      const name = issue.path.startsWith('data.') ? issue.path.slice(5).split('.')[0]! : issue.path;
      const field = form.fields.find((candidate) => candidate.name === name);
      return { field: field ? name : name === 'occurredAt' ? 'occurredAt' : '', message: friendly(field, issue.message) };
    }),
  };
}
