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
export const metricNameSchema = z.string().regex(METRIC_NAME_PATTERN, 'must be a snake_case metric name');

/** RFC 3339 with a mandatory offset (Z or ±hh:mm) and seconds; zod's regex also rejects impossible days. */
export const occurredAtSchema = z.iso.datetime({ offset: true });

/** YYYY-MM-DD that names a real calendar day (zod's ISO date regex knows month lengths and leap years). */
export const calendarDateSchema = z.iso.date();

export const nonEmptyString = z.string().min(1);
export const nonNegativeNumber = z.number().nonnegative();
