import * as z from 'zod';
import { jsonContent, jsonResponse, problemResponse, queryParameters, schemaRef, type OpenApiSpec } from '@app/platform';
import { deliveriesQuery, redeliveriesBody } from './deliveries/deliveries.controller.js';
import { DELIVERY_STATUSES } from './deliveries/delivery-queue.js';

const deliverySchema = z.object({
  id: z.string().meta({ description: 'The webhook-id: the same on every retry and redelivery' }),
  subscription: z.string(),
  channel: z.enum(['webhook', 'teams']),
  type: z.string(),
  incidentId: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastAnswer: z.object({ status: z.number().int().nullable(), error: z.string().nullable() }).nullable(),
  finishedAt: z.string().nullable(),
});

const redeliveriesSchema = z.object({
  results: z.array(z.object({ id: z.string(), outcome: z.enum(['queued', 'unknown', 'subscription-not-configured', 'subscription-ended']) })),
});

/** Notifier's OpenAPI document. */
export function notifierOpenApi(): OpenApiSpec {
  return {
    title: 'Aftermath notifier',
    version: '1.0.0',
    description: 'Outbound notices: Standard Webhooks deliveries, Slack messages and Teams cards, and their delivery log.',
    tags: [{ name: 'deliveries', description: 'Outbound deliveries' }],
    schemas: { Delivery: deliverySchema, Redeliveries: redeliveriesSchema, RedeliveriesRequest: redeliveriesBody },
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'One of READ_TOKENS (reads) or ADMIN_TOKENS (redeliveries)' } },
    paths: {
      '/v1/deliveries': {
        get: {
          operationId: 'listDeliveries',
          summary: 'The delivery log',
          description: 'Outbound deliveries in queue order: id (webhook-id), subscription, event type, incident, status, attempts, last answer.',
          tags: ['deliveries'],
          parameters: queryParameters(deliveriesQuery, { status: 'pending, delivered, failed or ended', subscription: "A subscription's name (teams-<n> for Teams)", incident: 'An incident id' }),
          responses: {
            '200': jsonResponse('The deliveries', { type: 'object', properties: { items: { type: 'array', items: schemaRef('Delivery') } }, required: ['items'] }),
            '400': problemResponse('A query parameter is invalid'),
            '401': problemResponse('A bearer token from READ_TOKENS is needed'),
          },
          security: [{ bearerAuth: [] }, {}],
        },
      },
      '/v1/deliveries/redeliveries': {
        post: {
          operationId: 'redeliver',
          summary: 'Send deliveries again',
          description: 'Each chosen delivery becomes pending and due now, with the same webhook-id and body.',
          tags: ['deliveries'],
          requestBody: { required: true, content: jsonContent(schemaRef('RedeliveriesRequest')) },
          responses: {
            '200': jsonResponse('What happened to each id', schemaRef('Redeliveries')),
            '400': problemResponse('The body is invalid'),
            '401': problemResponse('A bearer token from ADMIN_TOKENS is needed'),
          },
          security: [{ bearerAuth: [] }, {}],
        },
      },
    },
  };
}
