import * as z from 'zod';
import { PROBLEM_TYPES, problemTypeUri, type ProblemType } from '@app/domain';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as plain JSON. */
export type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiMediaType {
  schema: JsonSchema;
  example?: unknown;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description?: string; schema: JsonSchema }>;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  parameters?: OpenApiParameter[];
  requestBody?: { description?: string; required?: boolean; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse>;
  /** Alternatives, each a set of schemes from `securitySchemes`; `{}` means "no credentials" is accepted too. */
  security?: Record<string, string[]>[];
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type OpenApiPaths = Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;

export interface OpenApiSpec {
  title: string;
  version: string;
  description?: string;
  /**
   * Zod schemas published under `components.schemas`, by name: the very schemas that validate requests,
   * converted with `z.toJSONSchema` (input side). Refer to them from `paths` with `schemaRef(name)`;
   * a named schema used inside another one becomes a `$ref` too.
   */
  schemas?: Record<string, z.ZodType>;
  paths: OpenApiPaths;
  securitySchemes?: Record<string, JsonSchema>;
  tags?: { name: string; description?: string }[];
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: OpenApiPaths;
  components: { schemas: Record<string, JsonSchema>; securitySchemes?: Record<string, JsonSchema> };
}

const COMPONENT_PREFIX = '#/components/schemas/';

/** `{ $ref }` to a schema published by `openApiDocument` under `components.schemas`. */
export const schemaRef = (name: string): JsonSchema => ({ $ref: `${COMPONENT_PREFIX}${name}` });

/** RFC 9457 problem details, as ProblemFilter renders every error (`application/problem+json`). */
export const problemSchema = z
  .object({
    type: z
      .enum([...Object.keys(PROBLEM_TYPES).map((type) => problemTypeUri(type as ProblemType)), 'about:blank'])
      .meta({ description: 'What kind of problem: one type per kind, each with its own status and title; `about:blank` for a status outside them' }),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().meta({ description: 'The request path' }),
    errors: z
      .array(z.object({ path: z.string().meta({ description: 'Dotted path of the failing field, empty for the body' }), message: z.string() }))
      .optional()
      .meta({ description: 'Failing fields (400 only)' }),
  })
  .meta({ description: 'RFC 9457 problem details' });

const strip = ({ $schema: _schema, $id: _id, ...rest }: JsonSchema): JsonSchema => rest;

const conversion = { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' } as const;

/** An inline JSON Schema of a zod schema's input side (what a client sends), e.g. for one parameter. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return strip(z.toJSONSchema(schema, conversion) as JsonSchema);
}

/** One query parameter per property of a zod object (the schema the controller parses the query with). */
export function queryParameters(schema: z.ZodObject, descriptions: Record<string, string> = {}): OpenApiParameter[] {
  const json = jsonSchemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query' as const,
    required: json.required?.includes(name) ?? false,
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
    schema: property,
  }));
}

export const pathParameter = (name: string, description: string, schema: JsonSchema = { type: 'string', minLength: 1 }): OpenApiParameter => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});

export const jsonContent = (schema: JsonSchema, mediaType = 'application/json'): Record<string, OpenApiMediaType> => ({ [mediaType]: { schema } });

export const jsonResponse = (description: string, schema: JsonSchema): OpenApiResponse => ({ description, content: jsonContent(schema) });

export const problemResponse = (description: string): OpenApiResponse => ({
  description,
  content: jsonContent(schemaRef('Problem'), 'application/problem+json'),
});

/** The endpoints every Aftermath service serves (INTERFACES.md), so each document lists them. */
export function operationalPaths(): OpenApiPaths {
  const tags = ['operations'];
  return {
    '/health/live': {
      get: { operationId: 'live', summary: 'Liveness: the process answers', tags, responses: { '200': jsonResponse('Alive', { type: 'object', properties: { status: { const: 'ok' } } }) } },
    },
    '/health/ready': {
      get: {
        operationId: 'ready',
        summary: 'Readiness: 200 only while Kafka and the database connections work and no consumed partition is stalled',
        tags,
        responses: {
          '200': jsonResponse('Ready', schemaRef('Readiness')),
          '503': problemResponse('Not ready: `detail` names each failing check (kafka, database, consumer: a partition retrying longer than CONSUMER_STALL_SECONDS) and why'),
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        summary: 'Prometheus metrics (text exposition format)',
        tags,
        responses: { '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
    '/openapi.json': {
      get: { operationId: 'openapi', summary: 'This document (OpenAPI 3.1)', tags, responses: { '200': jsonResponse('The OpenAPI document', { type: 'object' }) } },
    },
  };
}

const readinessSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.object({ status: z.enum(['up', 'down']), error: z.string().optional() })),
});

function collectRefs(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') into.add(item);
      else collectRefs(item, into);
    }
  }
  return into;
}

/**
 * Builds an OpenAPI 3.1 document. The named zod schemas become `components.schemas` (plus `Problem`
 * and `Readiness`), the operational endpoints are added to `paths`, and every `$ref` is checked to
 * resolve, so a typo fails at start-up (and in the unit tests), not in a client's code generator.
 */
export function openApiDocument(spec: OpenApiSpec): OpenApiDocument {
  const registry = z.registry<{ id: string }>();
  const named: Record<string, z.ZodType> = { Problem: problemSchema, Readiness: readinessSchema, ...spec.schemas };
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const converted = z.toJSONSchema(registry, { ...conversion, uri: (id) => `${COMPONENT_PREFIX}${id}` }).schemas;
  const schemas = Object.fromEntries(Object.entries(converted).map(([id, schema]) => [id, strip(schema as JsonSchema)]));
  const paths = { ...spec.paths, ...operationalPaths() };
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: { title: spec.title, version: spec.version, ...(spec.description ? { description: spec.description } : {}) },
    // The operational endpoints are this document's own, so is their tag.
    tags: [...(spec.tags ?? []), { name: 'operations', description: 'Health, metrics and this document' }],
    paths,
    components: { schemas, ...(spec.securitySchemes ? { securitySchemes: spec.securitySchemes } : {}) },
  };
  const dangling = [...collectRefs(document, new Set())].filter((ref) => !ref.startsWith(COMPONENT_PREFIX) || !(ref.slice(COMPONENT_PREFIX.length) in schemas));
  if (dangling.length > 0) throw new Error(`OpenAPI document "${spec.title}" refers to unknown schemas: ${dangling.join(', ')}`);
  const schemeNames = new Set(Object.keys(spec.securitySchemes ?? {}));
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      for (const requirement of operation?.security ?? []) {
        for (const name of Object.keys(requirement)) {
          if (!schemeNames.has(name)) throw new Error(`OpenAPI ${method.toUpperCase()} ${path} uses unknown security scheme ${name}`);
        }
      }
    }
  }
  return document;
}
