import * as z from 'zod';
import { eventEnvelopeSchema, severitySchema, statusSchema } from '@app/domain';
import { jsonResponse, pathParameter, problemResponse, queryParameters, schemaRef, type OpenApiSpec } from '@app/platform';
import { analyticsQuery } from './analytics/analytics.controller.js';
import { UNATTACHED_COUNT_CAP } from './incidents/incident-queries.js';
import { eventsQuery, listQuery, unattachedQuery } from './incidents/incidents.controller.js';

const sourced = <T extends z.ZodType>(value: T) => z.object({ value, at: z.string(), eventId: z.string() }).nullable();

/**
 * The projected state, described loosely: the fields clients filter and display on. The full shape is
 * IncidentState in libs/domain/src/projection/state.ts; further fields are additive.
 */
const incidentStateSchema = z
  .looseObject({
    id: z.string(),
    keys: z.array(z.string()).meta({ description: 'keys seen on its events: incidentKey and correlationKeys' }),
    primaryService: z.string().nullable(),
    services: z.array(z.string()),
    status: z.union([z.literal('triggered'), statusSchema]),
    open: z.boolean(),
    severity: sourced(severitySchema),
    title: sourced(z.string()),
    team: sourced(z.string()),
    alertNames: z.array(z.string()),
    times: z.record(z.string(), z.unknown()),
    durations: z.record(z.string(), z.number().nullable()),
    rootCause: z.record(z.string(), z.unknown()).nullable(),
    eventCount: z.number().int(),
    firstEventAt: z.string().nullable(),
    lastEventAt: z.string().nullable(),
    retractions: z.array(z.record(z.string(), z.unknown())).meta({ description: 'event.retracted of this incident: retractedEventId, actor, at, reason' }),
    possibleDuplicates: z.array(z.string()).meta({ description: 'ids of other incidents sharing a key with this one; merge one into the other to confirm' }),
    mergedInto: z.string().optional().meta({ description: 'present when the incident asked for was merged: the id of the incident answering for it' }),
  })
  .meta({ description: "An incident's projected state (IncidentState); more fields than listed here" });

const percentileFigure = z.object({
  p50: z.number().int().nullable(),
  p90: z.number().int().nullable(),
  p50IncidentId: z.string().nullable().meta({ description: 'the incident whose figure the p50 is (nearest rank)' }),
  p90IncidentId: z.string().nullable(),
  incidentIds: z.array(z.string()).meta({ description: 'incidents that record the figure, ascending by it' }),
  notRecorded: z.number().int().meta({ description: 'incidents of the group that do not record it' }),
});

/** IncidentAnalytics: AnalyticsGroup in libs/domain/src/analytics/incident-analytics.ts. */
const incidentAnalyticsSchema = z.object({
  groupBy: z.enum(['service', 'team', 'severity', 'month']),
  from: z.string().nullable(),
  to: z.string().nullable(),
  unit: z.literal('minutes'),
  percentiles: z.literal('nearest-rank'),
  groups: z.array(
    z.object({
      group: z.string().nullable().meta({ description: 'service, team, severity or YYYY-MM (UTC); null where the incidents record none' }),
      incidents: z.number().int(),
      incidentIds: z.array(z.string()),
      figures: z.object({ timeToDetect: percentileFigure, timeToAcknowledge: percentileFigure, timeToMitigate: percentileFigure, timeToResolve: percentileFigure }),
    }),
  ),
});

const idParameter = pathParameter('id', 'Incident id, or any incidentKey linked to it (e.g. INC-2025-0405-ORD)');

/** Timeline's OpenAPI document; query parameters come from the zod schemas the controller parses them with. */
export function timelineOpenApi(): OpenApiSpec {
  return {
    title: 'Aftermath timeline',
    version: '1.0.0',
    description: 'Correlates events into incidents and serves their projected state and event logs.',
    tags: [
      { name: 'incidents', description: 'Projected incidents and their events' },
      { name: 'admin', description: 'Maintenance' },
    ],
    schemas: {
      EventEnvelope: eventEnvelopeSchema,
      IncidentState: incidentStateSchema,
      IncidentPage: z.object({
        items: z.array(incidentStateSchema),
        nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last one' }),
      }),
      IncidentEvents: z.object({
        incidentId: z.string(),
        events: z.array(eventEnvelopeSchema).meta({ description: 'In event-time order' }),
        nextCursor: z.string().nullable().meta({ description: 'null on the last page; else pass it as `cursor` for the next one' }),
      }),
      UnattachedEvents: z.object({
        items: z.array(eventEnvelopeSchema),
        total: z.number().int().min(0).meta({ description: `counted up to ${UNATTACHED_COUNT_CAP}` }),
        totalCapped: z.boolean().meta({ description: `true when there are more than ${UNATTACHED_COUNT_CAP}` }),
      }),
      IncidentAnalytics: incidentAnalyticsSchema,
      RebuildReport: z.object({ incidents: z.number().int(), events: z.number().int(), seconds: z.number() }),
    },
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'One of ADMIN_TOKENS' } },
    paths: {
      '/v1/incidents': {
        get: {
          operationId: 'listIncidents',
          summary: 'Incident states, newest first, paginated',
          tags: ['incidents'],
          parameters: queryParameters(listQuery, {
            status: 'Only open or only resolved incidents',
            service: 'Only incidents whose primary service is this one',
            limit: 'Page size',
            cursor: '`nextCursor` of the previous page',
          }),
          responses: { '200': jsonResponse('One page', schemaRef('IncidentPage')), '400': problemResponse('Invalid query parameter') },
        },
      },
      '/v1/incidents/{id}': {
        get: {
          operationId: 'getIncident',
          summary: "One incident's projected state",
          tags: ['incidents'],
          parameters: [idParameter],
          responses: { '200': jsonResponse('The state', schemaRef('IncidentState')), '404': problemResponse('No incident with this id or key') },
        },
      },
      '/v1/incidents/{id}/events': {
        get: {
          operationId: 'getIncidentEvents',
          summary: 'Its event log in event-time order, paginated (1000 events per page unless `limit` says otherwise)',
          tags: ['incidents'],
          parameters: [idParameter, ...queryParameters(eventsQuery, { limit: 'Page size, at most 5000', cursor: '`nextCursor` of the previous page' })],
          responses: {
            '200': jsonResponse('One page of events', schemaRef('IncidentEvents')),
            '400': problemResponse('Invalid query parameter'),
            '404': problemResponse('No incident with this id or key'),
          },
        },
      },
      '/v1/unattached-events': {
        get: {
          operationId: 'listUnattachedEvents',
          summary: 'Events not yet attached to an incident',
          tags: ['incidents'],
          parameters: queryParameters(unattachedQuery, { limit: 'At most this many events, oldest first' }),
          responses: { '200': jsonResponse('The events and their total', schemaRef('UnattachedEvents')), '400': problemResponse('Invalid query parameter') },
        },
      },
      '/v1/analytics/incidents': {
        get: {
          operationId: 'incidentAnalytics',
          summary: 'Per group: incident count and p50/p90 of time to detect, acknowledge, mitigate and resolve',
          description: 'Each figure names the incidents behind it and counts those where it is not recorded. `Accept: text/csv` gives CSV.',
          tags: ['incidents'],
          parameters: queryParameters(analyticsQuery, {
            groupBy: 'service, team, severity or month',
            from: 'Incidents whose first event is at or after this day (UTC) or instant',
            to: 'Incidents whose first event is before this day (UTC) or instant',
          }),
          responses: {
            '200': {
              description: 'The figures per group',
              content: { 'application/json': { schema: schemaRef('IncidentAnalytics') }, 'text/csv': { schema: { type: 'string' } } },
            },
            '400': problemResponse('Invalid query parameter'),
          },
        },
      },
      '/v1/admin/rebuild': {
        post: {
          operationId: 'rebuildProjections',
          summary: 'Rebuilds every projection from the event log',
          description: 'Needs a bearer token from ADMIN_TOKENS; without ADMIN_TOKENS only local requests may rebuild.',
          tags: ['admin'],
          security: [{ bearerAuth: [] }],
          responses: { '200': jsonResponse('What was rebuilt', schemaRef('RebuildReport')), '401': problemResponse('Missing or wrong token') },
        },
      },
    },
  };
}
