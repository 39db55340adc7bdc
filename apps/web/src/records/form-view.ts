import { randomUUID } from 'node:crypto';
import type { FieldError, FormValues } from './form-to-event.js';
import { whenValue } from './form-to-event.js';
import type { RecordForm } from './record-forms.js';

/** A form that came back with errors: its values are shown again, each error next to its field. */
export interface SubmittedForm {
  type: string;
  values: FormValues;
  errors: FieldError[];
}

/**
 * Event ids of the workspace start with the time the form was shown: events recorded for the same
 * minute (the forms' precision) then keep the order people recorded them in, as ties in event time
 * are ordered by id (EVENTS.md).
 */
export const newEventId = (now = Date.now()) => `web-${now.toString(36).padStart(9, '0')}-${randomUUID()}`;
export const EVENT_ID_PATTERN = /^web-[0-9a-z]{9}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const fieldId = (type: string, name: string, suffix = '') => `f-${type.replace(/[._]/g, '-')}-${name}${suffix}`;

/** The view model of one form for the Handlebars partial `record-form`. */
export function formView(form: RecordForm, action: string, now: Date, submitted?: SubmittedForm, options: { idSuffix?: string; fixed?: FormValues } = {}) {
  const mine = submitted && submitted.type === form.type && (!options.fixed || Object.entries(options.fixed).every(([k, v]) => submitted.values[k] === v)) ? submitted : undefined;
  const values = mine?.values ?? {};
  const errorOf = (name: string) => mine?.errors.find((error) => error.field === name)?.message;
  const suffix = options.idSuffix ?? '';
  const fields = form.fields
    .filter((field) => !options.fixed || !(field.name in options.fixed))
    .map((field) => {
      const value = values[field.name] ?? '';
      const error = errorOf(field.name);
      const id = fieldId(form.type, field.name, suffix);
      return {
        ...field,
        id,
        value,
        error,
        errorId: `${id}-error`,
        hintId: `${id}-hint`,
        isSelect: field.kind === 'select',
        isTextarea: field.kind === 'textarea' || field.kind === 'lines',
        inputType: field.kind === 'number' ? 'text' : field.kind === 'date' ? 'date' : 'text',
        inputMode: field.kind === 'number' ? 'decimal' : undefined,
        listId: field.suggestions ? `${id}-list` : undefined,
        pattern: field.kind === 'service' ? '[a-z0-9][a-z0-9._\\-]{0,127}' : undefined,
        options: field.options?.map((option) => ({ ...option, selected: option.value === value })),
      };
    });
  const whenError = errorOf('occurredAt');
  const formErrors = mine?.errors.filter((error) => error.field === '' || (!form.fields.some((f) => f.name === error.field) && error.field !== 'occurredAt')) ?? [];
  return {
    type: form.type,
    title: form.title,
    purpose: form.purpose,
    submit: form.submit,
    action,
    domId: `record-${form.type.replace(/[._]/g, '-')}${suffix}`,
    // Kept across a failed attempt, so sending the corrected form still records exactly one event.
    eventId: values._id ?? newEventId(),
    hidden: Object.entries(options.fixed ?? {}).map(([name, value]) => ({ name, value })),
    asksWhen: form.asksWhen,
    when: { id: fieldId(form.type, 'occurredAt', suffix), value: values.occurredAt ?? whenValue(now), error: whenError, errorId: `${fieldId(form.type, 'occurredAt', suffix)}-error` },
    fields,
    errors: mine?.errors ?? [],
    formErrors,
    hasErrors: (mine?.errors.length ?? 0) > 0,
  };
}
