import { openApiDocument } from '@app/platform';
import { timelineOpenApi } from './openapi.js';
import { expectValidOpenApi } from '../../../test/support/openapi.js';

const document = openApiDocument(timelineOpenApi());

describe('timeline OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', () => expectValidOpenApi(document));

  it('takes the query parameters from the schema the controller parses them with', () => {
    const parameters = document.paths['/v1/incidents']!.get!.parameters!;
    expect(parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['status', 'query', false],
      ['service', 'query', false],
      ['limit', 'query', false],
      ['cursor', 'query', false],
    ]);
    expect(parameters[2]!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 500, default: 50 });
    expect(document.paths['/v1/unattached-events']!.get!.parameters![0]!.schema).toMatchObject({ maximum: 1000, default: 100 });
  });

  it('lists every endpoint of INTERFACES.md', () => {
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/incidents', '/v1/incidents/{id}', '/v1/incidents/{id}/events', '/v1/unattached-events', '/v1/admin/rebuild', '/openapi.json']),
    );
    expect(document.components.schemas.IncidentEvents).toMatchObject({ properties: { events: { items: { $ref: '#/components/schemas/EventEnvelope' } } } });
  });
});
