import { createHmac } from 'node:crypto';
import { fixtureText } from '../../../test/fixtures/fixtures.js';
import { isFreshTimestamp, verifyGrafanaSignature } from './verify-grafana-signature.js';

const secret = 'grafana-hmac-secret';
const body = fixtureText('grafana/resolved.json');
const sign = (message: string, key = secret) => createHmac('sha256', key).update(message).digest('hex');

describe('verifyGrafanaSignature', () => {
  it('accepts the hex HMAC-SHA256 of the raw body, as a string or as bytes', () => {
    expect(verifyGrafanaSignature({ rawBody: body, signature: sign(body) }, secret, false)).toBe(true);
    expect(verifyGrafanaSignature({ rawBody: Buffer.from(body), signature: sign(body) }, secret, false)).toBe(true);
  });

  it('rejects another secret, a modified body and malformed signatures', () => {
    expect(verifyGrafanaSignature({ rawBody: body, signature: sign(body, 'other') }, secret, false)).toBe(false);
    expect(verifyGrafanaSignature({ rawBody: body.replace('512.5', '912.5'), signature: sign(body) }, secret, false)).toBe(false);
    expect(verifyGrafanaSignature({ rawBody: body, signature: `sha256=${sign(body)}` }, secret, false)).toBe(false);
    expect(verifyGrafanaSignature({ rawBody: body, signature: sign(body).slice(2) }, secret, false)).toBe(false);
    expect(verifyGrafanaSignature({ rawBody: body, signature: undefined }, secret, false)).toBe(false);
  });

  it('signs "timestamp:body" when a timestamp header is configured', () => {
    const timestamp = '1743866400';
    const signature = sign(`${timestamp}:${body}`);
    expect(verifyGrafanaSignature({ rawBody: body, signature, timestamp }, secret, true)).toBe(true);
    expect(verifyGrafanaSignature({ rawBody: body, signature, timestamp: '1743866401' }, secret, true)).toBe(false);
    expect(verifyGrafanaSignature({ rawBody: body, signature: sign(body), timestamp }, secret, true)).toBe(false);
    expect(verifyGrafanaSignature({ rawBody: body, signature }, secret, true)).toBe(false);
  });
});

describe('isFreshTimestamp', () => {
  const now = Date.UTC(2025, 3, 5, 15, 20);
  it('accepts Unix seconds within five minutes either side, and nothing else', () => {
    expect(isFreshTimestamp(String(now / 1000 - 299), now)).toBe(true);
    expect(isFreshTimestamp(String(now / 1000 + 60), now)).toBe(true);
    expect(isFreshTimestamp(String(now / 1000 - 301), now)).toBe(false);
    expect(isFreshTimestamp('2025-04-05T15:20:00Z', now)).toBe(false);
    expect(isFreshTimestamp(undefined, now)).toBe(false);
  });
});
