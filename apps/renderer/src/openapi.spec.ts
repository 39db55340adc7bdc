import { openApiDocument } from '@app/platform';
import { rendererOpenApi } from './openapi.js';
import { expectValidOpenApi } from '../../../test/support/openapi.js';

const document = openApiDocument(rendererOpenApi());

describe('renderer OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', () => expectValidOpenApi(document));

  it('lists every endpoint of INTERFACES.md, preparedOn from the controller schema', () => {
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/incidents/{id}/rca.md', '/v1/incidents/{id}/summary', '/v1/incidents/{id}/summary.md', '/openapi.json']),
    );
    const preparedOn = document.paths['/v1/incidents/{id}/rca.md']!.get!.parameters!.find((p) => p.name === 'preparedOn')!;
    expect(preparedOn.schema).toMatchObject({ type: 'string', format: 'date' });
    expect(document.paths['/v1/incidents/{id}/rca.md']!.get!.responses['200']!.content).toHaveProperty(['text/markdown']);
  });
});
