import { openApiDocument } from '@app/platform';
import { webOpenApi } from './openapi.js';
import { ALL_FORMS } from './records/record-forms.js';
import { expectValidOpenApi } from '../../../test/support/openapi.js';

const document = openApiDocument(webOpenApi());

describe('web workspace OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', () => expectValidOpenApi(document));

  it('lists the pages of INTERFACES.md and the operational endpoints, as HTML', () => {
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/incidents', '/incidents/{ref}', '/incidents/{ref}/rca', '/incidents/{ref}/rca.md', '/analytics', '/health/ready', '/metrics', '/openapi.json']),
    );
    expect(document.paths['/incidents/{ref}']!.get!.responses['200']!.content).toHaveProperty(['text/html']);
    expect(document.paths['/incidents/{ref}/live']!.get!.responses['200']!.content).toHaveProperty(['text/event-stream']);
  });

  it('names every form the incident page offers', () => {
    const eventType = document.paths['/incidents/{ref}/record/{eventType}']!.post!.parameters!.find((p) => p.name === 'eventType')!;
    expect(eventType.schema.enum).toEqual(ALL_FORMS.map((form) => form.type));
    expect(eventType.schema.enum).toEqual(expect.arrayContaining(['note.added', 'event.retracted', 'incident.merged']));
  });
});
