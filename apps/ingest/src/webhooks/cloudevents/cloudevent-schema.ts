import * as z from 'zod';

const required = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? `required: ${what}` : 'expected a string');

/**
 * A CloudEvent 1.0 as JSON (structured mode) or as collected from `ce-*` headers (binary mode).
 * `time` and `subject` are optional in CloudEvents but not here: they carry occurredAt and service.
 * Loose, because extension attributes other than `incidentkey` are allowed and ignored.
 */
export const cloudEventSchema = z.looseObject({
  specversion: z.literal('1.0', { error: 'expected CloudEvents specversion "1.0"' }),
  id: z.string({ error: required('the event id') }).min(1),
  source: z.string({ error: required('the event source') }).min(1),
  type: z.string({ error: required('the event type') }).min(1),
  time: z.string({ error: required('the event time, which becomes occurredAt') }),
  subject: z.string({ error: required('the subject, which names the service') }),
  datacontenttype: z.string().optional(),
  dataschema: z.string().optional(),
  incidentkey: z.string().optional(),
  data: z.unknown().optional(),
  data_base64: z.undefined({ error: 'binary data is not supported: send the catalogue data as JSON' }).optional(),
});

export type CloudEventAttributes = z.output<typeof cloudEventSchema>;
