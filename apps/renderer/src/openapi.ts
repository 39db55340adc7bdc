import * as z from 'zod';
import { severitySchema, statusSchema } from '@app/domain';
import { jsonResponse, jsonSchemaOf, pathParameter, problemResponse, schemaRef, type OpenApiResponse, type OpenApiSpec } from '@app/platform';
import { preparedOnSchema } from './drafts/drafts.controller.js';

const metricImpact = z.object({ peak: z.number(), baseline: z.union([z.number(), z.string()]).nullable(), unit: z.string() }).nullable();

/** The impact summary (ImpactSummary in libs/domain/src/summary/impact-summary.ts): null where the log records nothing. */
const impactSummarySchema = z.object({
  incidentId: z.string(),
  title: z.string(),
  primaryService: z.string().nullable(),
  severity: severitySchema.nullable(),
  status: z.union([z.literal('triggered'), statusSchema]),
  startedAt: z.string().nullable(),
  impactStartedAt: z.string().nullable().meta({ description: 'The latest-stated impact start (impact.started); null when none is known' }),
  resolvedAt: z.string().nullable(),
  durationMinutes: z.number().nullable(),
  usersAffected: z.number().nullable(),
  affectedServices: z.array(z.string()),
  requestsAffected: metricImpact,
  errorRate: metricImpact,
  latencyP99: metricImpact,
  customerErrors: z.number().nullable(),
  supportTickets: z.number().nullable(),
  revenueUsd: z.number().nullable(),
  mttdMinutes: z.number().nullable().meta({ description: 'Time to detect: first alert (else first event) minus the stated impact start; null, never 0, when none is known' }),
  mttaMinutes: z.number().nullable(),
  mttrMinutes: z.number().nullable(),
});

const draftVersionsSchema = z.object({
  incidentId: z.string(),
  versions: z.array(z.object({ version: z.number().int().min(1), preparedOn: z.string(), fileName: z.string(), createdAt: z.string() })),
});

const markdown = (description: string): OpenApiResponse => ({ description, content: { 'text/markdown': { schema: { type: 'string' } } } });
const notFound = problemResponse('No incident with this id or key');
const idParameter = pathParameter('id', 'Incident id, or any incidentKey linked to it (e.g. INC-2025-0405-ORD)');
const tags = ['drafts'];

/** Renderer's OpenAPI document. */
export function rendererOpenApi(): OpenApiSpec {
  return {
    title: 'Aftermath renderer',
    version: '1.0.0',
    description: 'Renders RCA drafts and impact summaries from the correlated timeline.',
    tags: [
      { name: 'drafts', description: 'RCA drafts and impact summaries' },
    ],
    schemas: { ImpactSummary: impactSummarySchema, DraftVersions: draftVersionsSchema },
    paths: {
      '/v1/incidents/{id}/rca.md': {
        get: {
          operationId: 'getRcaDraft',
          summary: 'The RCA draft (markdown)',
          description: 'The newest stored draft; with `preparedOn`, or while the incident is open, a draft rendered now.',
          tags,
          parameters: [
            idParameter,
            { name: 'preparedOn', in: 'query', required: false, description: 'The "prepared on" date of the draft (YYYY-MM-DD)', schema: jsonSchemaOf(preparedOnSchema) },
          ],
          responses: { '200': markdown('The draft'), '400': problemResponse('preparedOn is not a date'), '404': notFound },
        },
      },
      '/v1/incidents/{id}/rca/versions': {
        get: {
          operationId: 'listRcaDraftVersions',
          summary: 'Stored draft versions, without their text',
          tags,
          parameters: [idParameter],
          responses: { '200': jsonResponse('The versions', schemaRef('DraftVersions')), '404': notFound },
        },
      },
      '/v1/incidents/{id}/rca/versions/{version}.md': {
        get: {
          operationId: 'getRcaDraftVersion',
          summary: 'One stored draft version (markdown)',
          tags,
          parameters: [idParameter, pathParameter('version', 'Version number, from 1', { type: 'integer', minimum: 1 })],
          responses: { '200': markdown('The draft'), '404': problemResponse('No such incident or version') },
        },
      },
      '/v1/incidents/{id}/summary': {
        get: {
          operationId: 'getImpactSummary',
          summary: 'The impact summary (JSON)',
          tags,
          parameters: [idParameter],
          responses: { '200': jsonResponse('The summary', schemaRef('ImpactSummary')), '404': notFound },
        },
      },
      '/v1/incidents/{id}/summary.md': {
        get: {
          operationId: 'getImpactSummaryMarkdown',
          summary: 'The impact summary (markdown)',
          tags,
          parameters: [idParameter],
          responses: { '200': markdown('The summary'), '404': notFound },
        },
      },
    },
  };
}
