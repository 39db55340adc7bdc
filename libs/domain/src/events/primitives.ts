import * as z from 'zod';

/** Incident severities, P1 is the most severe. */
export const SEVERITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const severitySchema = z.enum(SEVERITIES);

export const INCIDENT_STATUSES = ['investigating', 'identified', 'mitigated', 'monitoring', 'resolved'] as const;
export type IncidentStatusValue = (typeof INCIDENT_STATUSES)[number];
export const statusSchema = z.enum(INCIDENT_STATUSES);

export const ACTION_ITEM_PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type ActionItemPriority = (typeof ACTION_ITEM_PRIORITIES)[number];
export const actionItemPrioritySchema = z.enum(ACTION_ITEM_PRIORITIES);

export const LESSON_KINDS = ['went_well', 'to_improve'] as const;
export type LessonKind = (typeof LESSON_KINDS)[number];
export const lessonKindSchema = z.enum(LESSON_KINDS);

export const SERVICE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;
/** The service of events no label, tag or alias names (EVENTS.md, "Events of service `unknown`"). */
export const UNKNOWN_SERVICE = 'unknown';

export const serviceNameSchema = z.string().regex(SERVICE_NAME_PATTERN, 'must match ^[a-z0-9][a-z0-9._-]{0,127}$');

export const METRIC_NAME_PATTERN = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
export const metricNameSchema = z.string().max(128).regex(METRIC_NAME_PATTERN, 'must be a snake_case metric name');

/** RFC 3339 with a mandatory offset (Z or ±hh:mm) and seconds; zod's regex also rejects impossible days. */
export const occurredAtSchema = z.iso.datetime({ offset: true });

/** YYYY-MM-DD that names a real calendar day (zod's ISO date regex knows month lengths and leap years). */
export const calendarDateSchema = z.iso.date();

/*
 * Length bounds (characters) on every string that is indexed or rendered, so no single event can
 * exceed an index entry (a PostgreSQL b-tree holds about 2.7 kB) or bloat an RCA. EVENTS.md, "Limits".
 */
/** Ids and keys: `id`, `incidentKey`, `correlationKeys`, `data.eventId`, `data.into`. */
export const MAX_KEY_LENGTH = 256;
/** Names and short labels: alert names, categories, responders, owners, units, actors, label names. */
export const MAX_NAME_LENGTH = 256;
/** One-line texts: incident titles and alert label values. */
export const MAX_LINE_LENGTH = 1024;
/** Prose: summaries, notes, descriptions, lessons, actions, reasons. */
export const MAX_TEXT_LENGTH = 8192;
/** Entries of `data.labels` and of `data.contributingFactors`. */
export const MAX_LABELS = 128;
export const MAX_CONTRIBUTING_FACTORS = 32;

/**
 * C0 and C1 control characters and the bidirectional formatting characters: in an id or a key they
 * make two different values look the same (in logs, URLs and documents), so ids and keys refuse them.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** An id or key: 1-256 characters, none of them control or bidi formatting characters. */
export const keyString = z
  .string()
  .min(1)
  .max(MAX_KEY_LENGTH)
  .refine((value) => !CONTROL_OR_BIDI.test(value), 'must not contain control or bidirectional formatting characters');

export const nameString = z.string().max(MAX_NAME_LENGTH);
export const lineString = z.string().max(MAX_LINE_LENGTH);
export const textString = z.string().max(MAX_TEXT_LENGTH);

export const nonEmptyString = z.string().min(1);
export const nonEmptyName = nameString.min(1);
export const nonEmptyText = textString.min(1);
export const nonNegativeNumber = z.number().nonnegative();
