import { openApiDocument } from '@app/platform';
import { notifierOpenApi } from './openapi.js';
import { expectValidOpenApi } from '../../../test/support/openapi.js';

const document = openApiDocument(notifierOpenApi());

describe('notifier OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', () => expectValidOpenApi(document));

  it("lists the delivery log of INTERFACES.md with the controller's own query schema", () => {
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/deliveries', '/v1/deliveries/redeliveries', '/health/ready', '/metrics', '/openapi.json']));
    const names = document.paths['/v1/deliveries']!.get!.parameters!.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['status', 'subscription', 'incident']));
    const status = document.paths['/v1/deliveries']!.get!.parameters!.find((p) => p.name === 'status')!;
    expect(status.schema).toMatchObject({ enum: ['pending', 'delivered', 'failed', 'ended'] });
  });
});
