import type { EventType } from '@app/domain';

/**
 * The forms of the incident page, one per event type people record. Field names are the catalogue's
 * `data` field names (EVENTS.md), so a form is the event's payload as a person types it.
 */
export type FieldKind = 'text' | 'textarea' | 'lines' | 'number' | 'numberOrText' | 'select' | 'date' | 'service';

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  options?: { value: string; label: string }[];
  hint?: string;
  /** Suggestions offered while typing (a datalist); any value is accepted. */
  suggestions?: string[];
}

export interface RecordForm {
  type: EventType;
  /** The heading people see. */
  title: string;
  /** What the event does to the incident and the RCA. */
  purpose: string;
  submit: string;
  fields: FieldSpec[];
  /** Most forms ask when it happened; a retraction or merge happens now. */
  asksWhen: boolean;
}

const severities = ['P1', 'P2', 'P3', 'P4', 'P5'].map((value) => ({ value, label: value }));
const statuses = ['investigating', 'identified', 'mitigated', 'monitoring', 'resolved'].map((value) => ({ value, label: value }));

export const RECORD_FORMS: RecordForm[] = [
  {
    type: 'status.changed',
    title: 'Status',
    purpose: 'Moves the incident on; the first change to each status is a milestone of the RCA timeline, "resolved" ends the incident.',
    submit: 'Record status',
    asksWhen: true,
    fields: [
      { name: 'status', label: 'Status', kind: 'select', required: true, options: statuses },
      { name: 'note', label: 'Note', kind: 'textarea' },
    ],
  },
  {
    type: 'severity.changed',
    title: 'Severity',
    purpose: 'The RCA shows the most severe level reached (P1 is the most severe).',
    submit: 'Record severity',
    asksWhen: true,
    fields: [{ name: 'severity', label: 'Severity', kind: 'select', required: true, options: severities }],
  },
  {
    type: 'incident.declared',
    title: 'Declaration',
    purpose: 'Names the incident and its owning team (the RCA author).',
    submit: 'Record declaration',
    asksWhen: true,
    fields: [
      { name: 'title', label: 'Title', kind: 'text' },
      { name: 'severity', label: 'Severity', kind: 'select', options: [{ value: '', label: '(not stated)' }, ...severities] },
      { name: 'team', label: 'Owning team', kind: 'text' },
    ],
  },
  {
    type: 'impact.started',
    title: 'Impact started',
    purpose: 'When users started to be affected, often before any alert; gives the time to detect.',
    submit: 'Record impact start',
    asksWhen: true,
    fields: [{ name: 'note', label: 'Note', kind: 'textarea' }],
  },
  {
    type: 'root_cause.identified',
    title: 'Root cause',
    purpose: 'The RCA title, summary, Root Cause section and tag.',
    submit: 'Record root cause',
    asksWhen: true,
    fields: [
      { name: 'summary', label: 'Summary', kind: 'text', required: true, hint: 'e.g. cache invalidation bug' },
      { name: 'category', label: 'Category', kind: 'text', required: true, suggestions: ['application', 'infrastructure', 'configuration', 'database', 'network', 'capacity', 'dependency', 'deployment', 'security'] },
      { name: 'contributingFactors', label: 'Contributing factors', kind: 'lines', hint: 'One per line.' },
    ],
  },
  {
    type: 'impact.measured',
    title: 'Impact measured',
    purpose: 'One figure of the Impact section; the latest measurement of a metric wins.',
    submit: 'Record measurement',
    asksWhen: true,
    fields: [
      { name: 'metric', label: 'Metric', kind: 'text', required: true, suggestions: ['requests_affected', 'error_rate', 'latency_p99'], hint: 'snake_case, e.g. error_rate' },
      { name: 'unit', label: 'Unit', kind: 'text', required: true, suggestions: ['%', 'ms', 's'] },
      { name: 'peak', label: 'Peak', kind: 'number', required: true },
      { name: 'baseline', label: 'Baseline', kind: 'numberOrText', hint: 'A number, or text such as <1.' },
    ],
  },
  {
    type: 'customer_impact.reported',
    title: 'Customer impact',
    purpose: 'Summary and Customer Impact; the latest report of each figure wins, empty ones are left as they were.',
    submit: 'Record customer impact',
    asksWhen: true,
    fields: [
      { name: 'usersAffected', label: 'Users affected', kind: 'number' },
      { name: 'customerErrors', label: 'Customer-facing errors', kind: 'number' },
      { name: 'supportTickets', label: 'Support tickets', kind: 'number' },
      { name: 'revenueUsd', label: 'Revenue impact (USD)', kind: 'number' },
    ],
  },
  {
    type: 'service.impacted',
    title: 'Affected service',
    purpose: 'Adds a service to Affected Services.',
    submit: 'Record affected service',
    asksWhen: true,
    fields: [{ name: 'service', label: 'Service', kind: 'service', required: true, hint: 'Lower case, e.g. auth-service' }],
  },
  {
    type: 'mitigation.applied',
    title: 'Mitigation',
    purpose: 'What was done to stop the harm; a milestone unless a status says otherwise.',
    submit: 'Record mitigation',
    asksWhen: true,
    fields: [{ name: 'action', label: 'Action', kind: 'text', required: true }],
  },
  {
    type: 'resolution.step',
    title: 'Resolution step',
    purpose: 'One line of the Resolution list, in time order.',
    submit: 'Record resolution step',
    asksWhen: true,
    fields: [{ name: 'description', label: 'Description', kind: 'text', required: true }],
  },
  {
    type: 'lesson.recorded',
    title: 'Lesson',
    purpose: 'One line of Lessons Learned.',
    submit: 'Record lesson',
    asksWhen: true,
    fields: [
      { name: 'kind', label: 'Kind', kind: 'select', required: true, options: [{ value: 'went_well', label: 'What went well' }, { value: 'to_improve', label: 'What could be improved' }] },
      { name: 'text', label: 'Lesson', kind: 'text', required: true },
    ],
  },
  {
    type: 'action_item.added',
    title: 'Action item',
    purpose: 'One row of the Action Items table.',
    submit: 'Record action item',
    asksWhen: true,
    fields: [
      { name: 'priority', label: 'Priority', kind: 'select', required: true, options: ['P1', 'P2', 'P3', 'P4'].map((value) => ({ value, label: value })) },
      { name: 'action', label: 'Action', kind: 'text', required: true },
      { name: 'owner', label: 'Owner', kind: 'text', required: true },
      { name: 'dueDate', label: 'Due date', kind: 'date', required: true },
    ],
  },
  {
    type: 'note.added',
    title: 'Note',
    purpose: 'A line of the timeline.',
    submit: 'Record note',
    asksWhen: true,
    fields: [{ name: 'text', label: 'Note', kind: 'textarea', required: true }],
  },
];

export const RETRACT_FORM: RecordForm = {
  type: 'event.retracted',
  title: 'Retract',
  purpose: 'The event stays in the log but no longer counts; the RCA appendix lists the retraction.',
  submit: 'Retract this event',
  asksWhen: false,
  fields: [
    { name: 'eventId', label: 'Event', kind: 'text', required: true },
    { name: 'reason', label: 'Reason', kind: 'text', required: true },
  ],
};

export const MERGE_FORM: RecordForm = {
  type: 'incident.merged',
  title: 'Merge into another incident',
  purpose: 'All events and keys of this incident go to the other one; this one then reads as the other.',
  submit: 'Merge',
  asksWhen: false,
  fields: [{ name: 'into', label: 'Incident id or key to merge into', kind: 'text', required: true }],
};

export const ALL_FORMS = [...RECORD_FORMS, RETRACT_FORM, MERGE_FORM];

export function formFor(type: string): RecordForm | undefined {
  return ALL_FORMS.find((form) => form.type === type);
}
