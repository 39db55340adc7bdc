import * as z from 'zod';
import { eventEnvelopeSchema } from '@app/domain';
import {
  jsonContent,
  jsonResponse,
  problemResponse,
  schemaRef,
  type OpenApiOperation,
  type OpenApiParameter,
  type OpenApiResponse,
  type OpenApiSpec,
} from '@app/platform';
import { MAX_EVENTS_PER_REQUEST } from './events/validate-envelopes.js';
import { slackOpenApi } from './slack/slack-openapi.js';
import { alertGroupSchema } from './webhooks/alertmanager/alert-group-schema.js';
import { cloudEventSchema } from './webhooks/cloudevents/cloudevent-schema.js';
import { grafanaPayloadSchema } from './webhooks/grafana/grafana-payload.js';
import { opsgeniePayloadSchema } from './webhooks/opsgenie/opsgenie-payload.js';
import { pagerDutyPayloadSchema } from './webhooks/pagerduty/pagerduty-payload.js';
import { KEPT_ASIDE_KINDS } from './webhooks/shared/event-drafts.js';

/** What ingest answers once Kafka acknowledged every event (events/accepted.ts). */
const acceptedSchema = z.object({
  accepted: z.number().int().min(0).meta({ description: 'Number of events taken' }),
  eventIds: z.array(z.string()).meta({ description: 'Their ids, in request order' }),
  keptAside: z
    .object({
      deadLetterId: z.string().meta({ description: 'The dead letter holding the body (GET /v1/dead-letters/:id on timeline)' }),
      parts: z.array(
        z.object({
          at: z.string(),
          reason: z.string(),
          errors: z.array(z.object({ path: z.string(), message: z.string() })),
          kind: z.enum(KEPT_ASIDE_KINDS).optional().meta({ description: 'Why, in a word: clock_skew (dated beyond MAX_CLOCK_SKEW_MINUTES); absent: invalid' }),
        }),
      ),
    })
    .optional()
    .meta({ description: 'Tool webhooks only: the parts that could not be mapped, kept aside on the dead-letter topic; absent when everything mapped' }),
});

/** The errors every write endpoint can answer, in the order clients meet them. */
const writeResponses = (extra: Record<string, OpenApiResponse> = {}): Record<string, OpenApiResponse> => ({
  '202': jsonResponse('Accepted: Kafka acknowledged every event (acks from all in-sync replicas). A re-sent event is accepted again and changes nothing.', schemaRef('Accepted')),
  '400': problemResponse('Invalid body: `errors` lists the failing field paths'),
  '401': problemResponse('Missing or wrong bearer token or signature'),
  '413': problemResponse('Body over 1 MiB'),
  '415': problemResponse('Not JSON'),
  ...extra,
  '503': problemResponse('Kafka cannot take the events now: retry (Retry-After is set)'),
});

const bearer: Record<string, string[]>[] = [{ bearerAuth: [] }];

const webhook = (operationId: string, summary: string, description: string, schema: string, security = bearer): OpenApiOperation => ({
  operationId,
  summary,
  description: `${description} Never a 400 for its content: what cannot be mapped is kept aside and the 202 says so (\`keptAside\`).`,
  tags: ['webhooks'],
  security,
  requestBody: { required: true, content: jsonContent(schemaRef(schema)) },
  responses: writeResponses(),
});

/** The replay routes take only a stored dead letter, named by its id. */
const deadLetterIdHeader: OpenApiParameter = {
  name: 'aftermath-dead-letter-id',
  in: 'header',
  required: true,
  description: 'The id of the dead letter replayed (GET /v1/dead-letters on timeline); the body must be its stored bytes',
  schema: { type: 'string' },
};

const replayResponses = writeResponses({
  '404': problemResponse('No such dead letter stored'),
  '409': problemResponse('The body is not the named dead letter\'s, or the letter is of another tool or kind'),
});

const cloudEventHeaders: OpenApiParameter[] = ['specversion', 'id', 'source', 'type', 'time', 'subject', 'incidentkey'].map((attribute) => ({
  name: `ce-${attribute}`,
  in: 'header',
  required: false,
  description: `Binary mode only: the \`${attribute}\` attribute (percent-encoded)${attribute === 'incidentkey' ? '; optional' : '; required in binary mode'}`,
  schema: { type: 'string' },
}));

/** Ingest's OpenAPI document, from the zod schemas its endpoints validate with. */
export function ingestOpenApi(): OpenApiSpec {
  return {
    title: 'Aftermath ingest',
    version: '1.0.0',
    description:
      'Takes incident events (EVENTS.md envelopes) and tool webhooks, maps them to envelopes and produces them to `incident-events.v1`. ' +
      'Write endpoints need `Authorization: Bearer <token>` (INGEST_TOKENS); without INGEST_TOKENS only requests from the same machine are accepted.',
    tags: [
      { name: 'events', description: 'Envelopes as defined in EVENTS.md' },
      { name: 'webhooks', description: 'Tool payloads, mapped to envelopes' },
      slackOpenApi.tag,
    ],
    schemas: {
      EventEnvelope: eventEnvelopeSchema,
      EventsRequest: z.union([eventEnvelopeSchema, z.array(eventEnvelopeSchema).min(1).max(MAX_EVENTS_PER_REQUEST)]),
      Accepted: acceptedSchema,
      AlertmanagerWebhook: alertGroupSchema,
      GrafanaWebhook: grafanaPayloadSchema,
      PagerDutyWebhook: pagerDutyPayloadSchema,
      OpsgenieWebhook: opsgeniePayloadSchema,
      CloudEvent: cloudEventSchema,
      ...slackOpenApi.schemas,
    },
    securitySchemes: {
      ...slackOpenApi.securitySchemes,
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'One of INGEST_TOKENS' },
      adminAuth: { type: 'http', scheme: 'bearer', description: 'One of ADMIN_TOKENS (operators)' },
      pagerDutySignature: {
        type: 'apiKey',
        in: 'header',
        name: 'X-PagerDuty-Signature',
        description: 'PagerDuty v3 HMAC-SHA256 of the body (`v1=<hex>`, several allowed), with one of PAGERDUTY_WEBHOOK_SECRETS',
      },
      grafanaSignature: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Grafana-Alerting-Signature',
        description: 'Grafana HMAC-SHA256 of the body with GRAFANA_WEBHOOK_SECRET; header name set by GRAFANA_WEBHOOK_SIGNATURE_HEADER',
      },
    },
    paths: {
      ...slackOpenApi.paths,
      '/v1/events': {
        post: {
          operationId: 'postEvents',
          summary: `One envelope, or an array of 1 to ${MAX_EVENTS_PER_REQUEST}`,
          description: 'All or nothing: one invalid envelope rejects the request. `occurredAt` is kept as sent.',
          tags: ['events'],
          security: bearer,
          requestBody: { required: true, content: jsonContent(schemaRef('EventsRequest')) },
          responses: writeResponses(),
        },
      },
      '/v1/events/replay': {
        post: {
          operationId: 'replayEventDeadLetter',
          summary: 'Publishes again an envelope the timeline kept aside (npm run dead-letters -- replay)',
          description:
            'The body of an event dead letter of incident-events.dlq.v1 as the timeline stored it (GET /v1/dead-letters/:id), named by its id in ' +
            '`aftermath-dead-letter-id`: any other body is refused (404 no such letter, 409 another body or kind). Validated as POST /v1/events except ' +
            'that the ids and key namespaces reserved for the tools are allowed: ingest took such an event from a tool before. Wants an ADMIN_TOKENS ' +
            'token (without ADMIN_TOKENS, local requests only); an INGEST_TOKENS token is refused. A replayed event keeps its id, so a second replay changes nothing.',
          tags: ['events'],
          security: [{ adminAuth: [] }],
          parameters: [deadLetterIdHeader],
          requestBody: { required: true, content: jsonContent(schemaRef('EventsRequest')) },
          responses: replayResponses,
        },
      },
      '/v1/webhooks/alertmanager': {
        post: webhook(
          'postAlertmanagerWebhook',
          'Prometheus Alertmanager webhook (webhook_config), version 4',
          'Each alert becomes alert.triggered or alert.resolved, each on its own.',
          'AlertmanagerWebhook',
        ),
      },
      '/v1/webhooks/grafana': {
        post: webhook(
          'postGrafanaWebhook',
          'Grafana alerting webhook contact point',
          'The Alertmanager shape plus Grafana fields. With GRAFANA_WEBHOOK_SECRET set, the HMAC header is required as well as the bearer token.',
          'GrafanaWebhook',
          [{ bearerAuth: [], grafanaSignature: [] }, { bearerAuth: [] }],
        ),
      },
      '/v1/webhooks/pagerduty': {
        post: webhook(
          'postPagerDutyWebhook',
          'PagerDuty webhook v3, signed',
          'With PAGERDUTY_WEBHOOK_SECRETS set, the signature authenticates the request; otherwise a bearer token is required.',
          'PagerDutyWebhook',
          [{ pagerDutySignature: [] }, { bearerAuth: [] }],
        ),
      },
      '/v1/webhooks/opsgenie': {
        post: webhook('postOpsgenieWebhook', 'Opsgenie outgoing webhook', 'Alert actions (Create, Acknowledge, AddNote, Close, ...) map to catalogue events.', 'OpsgenieWebhook'),
      },
      '/v1/webhooks/replay/{source}': {
        post: {
          operationId: 'replayKeptAsideBody',
          summary: 'Maps a kept-aside webhook body again, with the configuration of now (npm run dead-letters -- replay)',
          description:
            'The body as the tool sent it and the timeline stored it (GET /v1/dead-letters/:id), named by its dead-letter id in `aftermath-dead-letter-id`: ' +
            'any other body is refused (404 no such letter, 409 another body or another tool). Wants an ADMIN_TOKENS token, never an INGEST_TOKENS one: ' +
            "the body's signature was checked when it first arrived. What maps is published, the rest is kept aside again under the same dead-letter id.",
          tags: ['webhooks'],
          security: [{ adminAuth: [] }],
          parameters: [{ name: 'source', in: 'path', required: true, description: 'alertmanager, grafana, pagerduty, opsgenie or jsm', schema: { type: 'string' } }, deadLetterIdHeader],
          requestBody: { required: true, content: jsonContent({ type: 'object' }) },
          responses: { ...replayResponses, '404': problemResponse('No such webhook, or no such dead letter stored') },
        },
      },
      '/v1/webhooks/jsm': {
        post: webhook('postJsmWebhook', 'Jira Service Management (Operations) webhook integration', "Opsgenie's alert action data, mapped like Opsgenie with source `jsm`.", 'OpsgenieWebhook'),
      },
      '/v1/cloudevents': {
        post: {
          operationId: 'postCloudEvents',
          summary: 'CloudEvents 1.0 over HTTP: structured, batch and binary modes',
          description:
            '`type` names a catalogue event type, `subject` the service, `time` becomes occurredAt and `data` the payload. ' +
            'Binary mode: attributes in `ce-*` headers and `data` as the JSON body.',
          tags: ['events'],
          security: bearer,
          parameters: cloudEventHeaders,
          requestBody: {
            required: true,
            content: {
              'application/cloudevents+json': { schema: schemaRef('CloudEvent') },
              'application/cloudevents-batch+json': { schema: { type: 'array', items: schemaRef('CloudEvent') } },
              'application/json': { schema: { description: 'Binary mode: the event `data`' } },
            },
          },
          responses: writeResponses(),
        },
      },
    },
  };
}
