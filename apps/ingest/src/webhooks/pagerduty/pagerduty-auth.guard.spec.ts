import { createHmac } from 'node:crypto';
import { fakeContext, guardOutcome as status } from '../../../test/fixtures/fake-http.js';
import { fixtureText } from '../../../test/fixtures/fixtures.js';
import { loadIngestConfig } from '../../config.js';
import { PagerDutyAuthGuard } from './pagerduty-auth.guard.js';

const body = fixtureText('pagerduty/incident-resolved.json');
const json = { 'content-type': 'application/json' };
const signed = (secret: string) => ({ ...json, 'X-PagerDuty-Signature': `v1=${createHmac('sha256', secret).update(body).digest('hex')}` });
const guard = (env: Record<string, string>) => new PagerDutyAuthGuard(loadIngestConfig({ INGEST_TOKENS: 'ingest-token-of-16+', ...env }));

describe('PagerDutyAuthGuard', () => {
  const withSecrets = guard({ PAGERDUTY_WEBHOOK_SECRETS: 'old-secret,new-secret' });

  it('lets a validly signed request in without a bearer token', () => {
    expect(withSecrets.canActivate(fakeContext(signed('new-secret'), body))).toBe(true);
  });

  it('answers 401 to a missing or wrong signature, even with a valid bearer token', () => {
    expect(status(() => withSecrets.canActivate(fakeContext({ ...json, authorization: 'Bearer ingest-token-of-16+' }, body)))).toBe(401);
    expect(status(() => withSecrets.canActivate(fakeContext(signed('guessed'), body)))).toBe(401);
  });

  it('answers 415, not 401, when the body is not JSON and so cannot be verified', () => {
    expect(status(() => withSecrets.canActivate(fakeContext({ ...signed('new-secret'), 'content-type': 'text/plain' })))).toBe(415);
  });

  it('falls back to bearer tokens when no secret is configured', () => {
    const withoutSecrets = guard({});
    expect(withoutSecrets.canActivate(fakeContext({ ...json, authorization: 'Bearer ingest-token-of-16+' }, body))).toBe(true);
    expect(status(() => withoutSecrets.canActivate(fakeContext(signed('new-secret'), body)))).toBe(401);
  });
});
