import { Controller, Get, Header, Inject, type FactoryProvider } from '@nestjs/common';
import { openApiDocument, type OpenApiDocument, type OpenApiSpec } from './openapi-document.js';

/** The service's OpenAPI document; OpenApiController serves whatever is provided under it. */
export const OPENAPI_DOCUMENT = Symbol('OPENAPI_DOCUMENT');

/** Builds the document once, when the module starts: a schema that cannot be converted fails the start. */
export const openApiProvider = (spec: () => OpenApiSpec): FactoryProvider<OpenApiDocument> => ({
  provide: OPENAPI_DOCUMENT,
  useFactory: () => openApiDocument(spec()),
});

@Controller('openapi.json')
export class OpenApiController {
  constructor(@Inject(OPENAPI_DOCUMENT) private readonly document: OpenApiDocument) {}

  @Get()
  @Header('Cache-Control', 'no-cache')
  get(): OpenApiDocument {
    return this.document;
  }
}
