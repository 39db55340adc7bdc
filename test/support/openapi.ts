import { Validator } from '@seriousme/openapi-schema-validator';
import type { OpenApiDocument } from '@app/platform';

/** Fails the test, listing what is wrong, unless `document` is a valid OpenAPI 3.1 document. */
export async function expectValidOpenApi(document: OpenApiDocument): Promise<void> {
  const result = await new Validator().validate(structuredClone(document) as never);
  expect(result.errors).toBeUndefined();
  expect(result.valid).toBe(true);
}
