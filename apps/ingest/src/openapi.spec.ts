import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseEvent } from '@app/domain';
import { openApiDocument } from '@app/platform';
import { ingestOpenApi } from './openapi.js';
import { validateEnvelopes } from './events/validate-envelopes.js';
import { expectValidOpenApi } from '../../../test/support/openapi.js';

const document = openApiDocument(ingestOpenApi());
const ajv = new Ajv2020({ strict: false, validateFormats: false });
ajv.addSchema(document, 'ingest');
const component = (name: string) => ajv.getSchema(`ingest#/components/schemas/${name}`)!;
const example = readFileSync('test/fixtures/order-service-cache-bug.ndjson', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('ingest OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', () => expectValidOpenApi(document));

  it('lists every endpoint of INTERFACES.md', () => {
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/health/live',
        '/health/ready',
        '/metrics',
        '/openapi.json',
        '/v1/cloudevents',
        '/v1/events',
        '/v1/events/replay',
        '/v1/webhooks/alertmanager',
        '/v1/webhooks/grafana',
        '/v1/webhooks/jsm',
        '/v1/webhooks/opsgenie',
        '/v1/webhooks/pagerduty',
        '/v1/slack/commands',
        '/v1/slack/interactivity',
        '/v1/webhooks/replay/{source}',
      ].sort(),
    );
    for (const [path, item] of Object.entries(document.paths)) {
      if (path.startsWith('/v1/slack/')) {
        // Slack wants a 200 with the reply; refusals are problem+json like everywhere else.
        expect(Object.keys(item.post!.responses)).toEqual(expect.arrayContaining(['200', '401', '415']));
        continue;
      }
      if (!path.startsWith('/v1/')) continue;
      expect(Object.keys(item.post!.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '413', '503']));
      expect(item.post!.responses['400']!.content).toHaveProperty(['application/problem+json']);
    }
  });

  it('describes envelopes exactly as ingest validates them', () => {
    const validate = component('EventEnvelope');
    for (const event of example) expect(validate(event)).toBe(true);
    const broken = [
      { ...example[0], type: 'alert.exploded' },
      { ...example[0], occurredAt: '2025-04-05 15:28' },
      { ...example[0], service: 'Order Service' },
      { ...example[0], unknownField: 1 },
      { ...example[0], data: { severity: 'warning' } },
    ];
    for (const event of broken) {
      expect(parseEvent(event).ok).toBe(false);
      expect(validate(event)).toBe(false);
    }
  });

  it('takes one envelope or an array of up to 1000', () => {
    const validate = component('EventsRequest');
    expect(validate(example[0])).toBe(true);
    expect(validate(example)).toBe(true);
    expect(validate([])).toBe(false);
    expect(validate(Array.from({ length: 1001 }, () => example[0]))).toBe(false);
    expect('errors' in validateEnvelopes(Array.from({ length: 1001 }, () => example[0]))).toBe(true);
  });

  it('publishes each webhook payload schema', () => {
    for (const name of ['AlertmanagerWebhook', 'GrafanaWebhook', 'PagerDutyWebhook', 'OpsgenieWebhook', 'CloudEvent']) {
      expect(document.components.schemas[name]).toMatchObject({ type: 'object' });
    }
    expect(component('AlertmanagerWebhook')({ version: '4', alerts: [] })).toBe(true);
    expect(component('AlertmanagerWebhook')({ version: '4' })).toBe(false);
  });
});
