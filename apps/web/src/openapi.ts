import { pathParameter, type OpenApiOperation, type OpenApiParameter, type OpenApiResponse, type OpenApiSpec } from '@app/platform';
import { ALL_FORMS } from './records/record-forms.js';

/**
 * The workspace's pages, for people in a browser: HTML, forms and server-sent events. The document says
 * where they are and what they take (INTERFACES.md: every service serves /openapi.json); their content is
 * described by docs/web.md and the data-* hooks of INTERFACES.md, not by schemas.
 */
const html = (description: string): OpenApiResponse => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
const events = (description: string): OpenApiResponse => ({ description, content: { 'text/event-stream': { schema: { type: 'string' } } } });
const redirect = (description: string): OpenApiResponse => ({ description, headers: { Location: { schema: { type: 'string' } } } });
const query = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }): OpenApiParameter => ({ name, in: 'query', required: false, description, schema });

const ref = pathParameter('ref', 'Incident id, or any key linked to it (e.g. INC-2025-0405-ORD)');
const refused = {
  '401': html('WEB_TRUSTED_USER_HEADER is set and the request does not carry it'),
  '403': html('Without WEB_TRUSTED_USER_HEADER: the request does not name this machine in Host'),
};
const notFound = html('No incident with this id or key');
const tags = ['workspace'];

const page = (operationId: string, summary: string, parameters: OpenApiParameter[], extra: Record<string, OpenApiResponse> = {}): { get: OpenApiOperation } => ({
  get: { operationId, summary, tags, parameters, responses: { '200': html(summary), ...refused, ...extra } },
});

const since = query('since', 'the fingerprint the page was rendered at, so a change in between is not missed');
const live = (operationId: string, summary: string, parameters: OpenApiParameter[]): { get: OpenApiOperation } => ({
  get: { operationId, summary, tags, parameters: [...parameters, since], responses: { '200': events('`changed` whenever what the page shows has changed (asked of the timeline every WEB_LIVE_POLL_MS)'), ...refused } },
});

/** The web workspace's OpenAPI document. */
export function webOpenApi(): OpenApiSpec {
  return {
    title: 'Aftermath web workspace',
    version: '1.0.0',
    description: 'The incident workspace for people (docs/web.md): pages, forms that append events through ingest, live updates.',
    tags: [{ name: 'workspace', description: 'HTML pages, forms and server-sent events' }],
    paths: {
      '/incidents': page('listIncidents', 'Incidents, open first, then newest first; each row carries data-incident-id', [
        query('status', 'open or resolved'),
        query('service', 'a service name'),
        query('severity', 'P1-P5'),
        query('q', 'text in the title, alert names, notes, root cause, ids and keys'),
        query('page', '25 incidents a page, from 1', { type: 'integer', minimum: 1 }),
        query('ids', 'comma-separated incident ids to list (the analytics plots link here)'),
      ]),
      '/incidents/live': live('listIncidentsLive', 'Server-sent events for the list', []),
      '/incidents/{ref}': page(
        'showIncident',
        'One incident: its figures (data-figure), timeline (data-event-id), unattached events nearby and the forms (form[data-record])',
        [ref, query('from', 'the first timeline row shown (200 a page; the latest by default)', { type: 'integer', minimum: 0 })],
        { '404': notFound },
      ),
      '/incidents/{ref}/live': live('showIncidentLive', "Server-sent events for an incident's page", [ref]),
      '/incidents/{ref}/record/{eventType}': {
        post: {
          operationId: 'recordEvent',
          summary: 'Records one event through ingest (POST /v1/events), with the signed-in person as actor',
          tags,
          parameters: [ref, pathParameter('eventType', 'the event type the form records', { enum: ALL_FORMS.map((form) => form.type) })],
          requestBody: {
            required: true,
            description: "The event's data fields, named as in the catalogue (EVENTS.md), as the page's form sends them",
            content: {
              'application/x-www-form-urlencoded': {
                schema: {
                  type: 'object',
                  required: ['_csrf'],
                  properties: {
                    _csrf: { type: 'string', description: "the form's token, bound to the person" },
                    _id: { type: 'string', description: 'the event id given to the form when it was shown: sending it again records nothing new' },
                    occurredAt: { type: 'string', description: 'When: YYYY-MM-DDTHH:MM (UTC) or RFC 3339; asked by every form but retraction and merge (they happen now)' },
                  },
                  additionalProperties: { type: 'string' },
                },
              },
            },
          },
          responses: {
            '303': redirect('Recorded: back to the incident (POST/redirect/GET)'),
            '400': html('The page again with the form open, each problem next to its field, the values kept'),
            ...refused,
            '404': html('No such form, or no such incident'),
            '503': html('Ingest could not take the event; nothing was recorded, the values are kept'),
          },
        },
      },
      '/incidents/{ref}/rca': page('showRca', "The RCA draft as HTML (article[data-rca]), its versions and what changed between them", [
        ref,
        query('version', 'a stored version, from 1; the newest by default', { type: 'integer', minimum: 1 }),
      ], { '404': notFound }),
      '/incidents/{ref}/rca/live': live('showRcaLive', 'Server-sent events for the RCA page', [ref]),
      '/incidents/{ref}/rca.md': {
        get: {
          operationId: 'downloadRca',
          summary: "The draft's markdown as a download, named as the renderer names it",
          tags,
          parameters: [ref],
          responses: { '200': { description: 'The draft (Content-Disposition: attachment)', content: { 'text/markdown': { schema: { type: 'string' } } } }, ...refused, '404': notFound },
        },
      },
      '/analytics': page('showAnalytics', 'Time to acknowledge and to resolve (p50, p90) and incident counts, by month and by service', [
        query('from', 'YYYY-MM-DD, inclusive', { type: 'string', format: 'date' }),
        query('to', 'YYYY-MM-DD, exclusive', { type: 'string', format: 'date' }),
      ]),
    },
  };
}
