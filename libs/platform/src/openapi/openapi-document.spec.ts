import { Validator } from '@seriousme/openapi-schema-validator';
import { Controller, Module } from '@nestjs/common';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as z from 'zod';
import { createHttpApp } from '../http/bootstrap.js';
import { Writable } from 'node:stream';
import { OpenApiController, openApiProvider } from './openapi.controller.js';
import { jsonContent, jsonResponse, openApiDocument, pathParameter, problemResponse, queryParameters, schemaRef, type OpenApiSpec } from './openapi-document.js';

const thing = z.strictObject({
  name: z.string().min(1),
  size: z.coerce.number().int().min(1).default(3),
  kind: z.discriminatedUnion('type', [z.object({ type: z.literal('a'), a: z.string() }), z.object({ type: z.literal('b'), b: z.number() })]),
});
const query = z.strictObject({ status: z.enum(['open', 'resolved']).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) });

const spec = (): OpenApiSpec => ({
  title: 'Things',
  version: '1.0.0',
  schemas: { Thing: thing, Things: z.array(thing).max(10) },
  securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
  paths: {
    '/v1/things': {
      post: {
        operationId: 'postThings',
        summary: 'Takes things',
        security: [{ bearerAuth: [] }],
        requestBody: { required: true, content: jsonContent(schemaRef('Things')) },
        responses: { '202': jsonResponse('Taken', { type: 'object' }), '400': problemResponse('Invalid') },
      },
      get: { operationId: 'listThings', summary: 'Lists things', parameters: queryParameters(query), responses: { '200': jsonResponse('Things', schemaRef('Things')) } },
    },
    '/v1/things/{id}': {
      get: { operationId: 'getThing', summary: 'One thing', parameters: [pathParameter('id', 'Its id')], responses: { '200': jsonResponse('It', schemaRef('Thing')) } },
    },
  },
});

/** Validates against the OpenAPI 3.1 meta-schema; returns the errors, [] when valid. */
async function openApiErrors(document: object): Promise<unknown[]> {
  const result = await new Validator().validate(structuredClone(document) as never);
  return result.valid ? [] : (result.errors as unknown[]);
}

describe('openApiDocument', () => {
  const document = openApiDocument(spec());

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    expect(await openApiErrors(document)).toEqual([]);
    // The validator does refuse broken documents.
    expect(await openApiErrors({ ...document, info: { title: 'no version' } })).not.toEqual([]);
  });

  it('publishes the zod schemas as components, with shared ones as $ref', () => {
    const { Thing, Things, Problem } = document.components.schemas;
    expect(Thing).toMatchObject({ type: 'object', required: ['name', 'kind'], additionalProperties: false });
    expect((Thing as { properties: { kind: { oneOf: unknown[] } } }).properties.kind.oneOf).toHaveLength(2);
    expect(Things).toEqual({ type: 'array', maxItems: 10, items: { $ref: '#/components/schemas/Thing' } });
    expect(Problem).toMatchObject({ type: 'object', required: expect.arrayContaining(['title', 'status']) });
    expect(JSON.stringify(document.components.schemas)).not.toContain('$schema');
  });

  it('describes the input side: defaults are optional, coerced numbers documented as numbers', () => {
    expect(document.paths['/v1/things']!.get!.parameters).toEqual([
      { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['open', 'resolved'] } },
      { name: 'limit', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 500, default: 50 }) },
    ]);
  });

  it('validates what the zod schema validates', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema(document, 'doc');
    const validate = ajv.getSchema('doc#/components/schemas/Things')!;
    const ok = [{ name: 'x', kind: { type: 'a', a: 'y' } }];
    const bad = [{ name: '', kind: { type: 'b', b: 'not a number' }, extra: 1 }];
    expect(validate(ok)).toBe(thing.array().safeParse(ok).success);
    expect(validate(bad)).toBe(thing.array().safeParse(bad).success);
  });

  it('adds the operational endpoints of every service', () => {
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready', '/metrics', '/openapi.json']));
  });

  it('refuses references to schemas or security schemes it does not have', () => {
    const broken = spec();
    broken.paths['/v1/things']!.get!.responses['200'] = jsonResponse('x', schemaRef('Thingz'));
    expect(() => openApiDocument(broken)).toThrow('refers to unknown schemas: #/components/schemas/Thingz');
    const insecure = spec();
    insecure.paths['/v1/things']!.post!.security = [{ apiKey: [] }];
    expect(() => openApiDocument(insecure)).toThrow('POST /v1/things uses unknown security scheme apiKey');
  });
});

@Controller()
class NothingController {}

@Module({ controllers: [NothingController, OpenApiController], providers: [openApiProvider(spec)] })
class ThingsModule {}

describe('OpenApiController', () => {
  it('serves the document at /openapi.json', async () => {
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    const app = await createHttpApp(ThingsModule, 'warn', { logDestination: quiet });
    try {
      await app.listen(0, '127.0.0.1');
      const response = await fetch(`${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/openapi.json`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual(openApiDocument(spec()));
    } finally {
      await app.close();
    }
  });
});
