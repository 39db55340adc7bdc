import { createHmac } from 'node:crypto';
import { fakeContext, guardOutcome as status } from '../../../test/fixtures/fake-http.js';
import { fixtureText } from '../../../test/fixtures/fixtures.js';
import { loadIngestConfig } from '../../config.js';
import { GrafanaSignatureGuard } from './grafana-signature.guard.js';

const body = fixtureText('grafana/resolved.json');
const json = { 'content-type': 'application/json' };
const hmac = (message: string, secret = 'grafana-secret') => createHmac('sha256', secret).update(message).digest('hex');
const guard = (env: Record<string, string>) => new GrafanaSignatureGuard(loadIngestConfig(env));

describe('GrafanaSignatureGuard', () => {
  it('checks nothing when GRAFANA_WEBHOOK_SECRET is unset', () => {
    expect(guard({}).canActivate(fakeContext(json, body))).toBe(true);
  });

  it("requires Grafana's default signature header once a secret is set", () => {
    const signedOnly = guard({ GRAFANA_WEBHOOK_SECRET: 'grafana-secret' });
    expect(signedOnly.canActivate(fakeContext({ ...json, 'X-Grafana-Alerting-Signature': hmac(body) }, body))).toBe(true);
    expect(status(() => signedOnly.canActivate(fakeContext(json, body)))).toBe(401);
    expect(status(() => signedOnly.canActivate(fakeContext({ ...json, 'X-Grafana-Alerting-Signature': hmac(`${body} `) }, body)))).toBe(401);
  });

  it('accepts any of several comma-separated secrets, so a rotation has no window of 401s', () => {
    const rotating = guard({ GRAFANA_WEBHOOK_SECRET: 'old-secret, new-secret' });
    const signedWith = (secret: string) => fakeContext({ ...json, 'X-Grafana-Alerting-Signature': hmac(body, secret) }, body);
    expect(rotating.canActivate(signedWith('old-secret'))).toBe(true);
    expect(rotating.canActivate(signedWith('new-secret'))).toBe(true);
    expect(status(() => rotating.canActivate(signedWith('other-secret')))).toBe(401);
    expect(status(() => rotating.canActivate(signedWith('old-secret, new-secret')))).toBe(401);
  });

  it('verifies "timestamp:body" and refuses stale timestamps when a timestamp header is configured', () => {
    const timed = guard({ GRAFANA_WEBHOOK_SECRET: 'grafana-secret', GRAFANA_WEBHOOK_TIMESTAMP_HEADER: 'X-Grafana-Alerting-Timestamp' });
    const headers = (timestamp: number) => ({
      ...json,
      'X-Grafana-Alerting-Timestamp': String(timestamp),
      'X-Grafana-Alerting-Signature': hmac(`${timestamp}:${body}`),
    });
    const now = Math.floor(Date.now() / 1000);
    expect(timed.canActivate(fakeContext(headers(now), body))).toBe(true);
    expect(status(() => timed.canActivate(fakeContext(headers(now - 3600), body)))).toBe(401);
  });
});
