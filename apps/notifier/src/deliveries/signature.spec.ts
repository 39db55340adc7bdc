import { Webhook } from 'standardwebhooks';
import { signedHeaders } from './signature.js';
import { retryDelaySeconds } from './backoff.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = JSON.stringify({ type: 'incident.opened', timestamp: '2025-04-05T15:28:00Z', data: { incident: { id: 'inc-1' } } });

describe('Standard Webhooks signatures', () => {
  it('verify with the standardwebhooks library, as a receiver checks them', () => {
    const headers = signedHeaders(SECRET, 'msg_1', body);
    expect(new Webhook(SECRET).verify(body, headers)).toEqual(JSON.parse(body));
    expect(headers['webhook-signature']).toBe(new Webhook(SECRET).sign('msg_1', new Date(Number(headers['webhook-timestamp']) * 1000), body));
  });

  it('do not verify for another body, id, secret, or an attempt too old', () => {
    const headers = signedHeaders(SECRET, 'msg_1', body);
    expect(() => new Webhook(SECRET).verify(body.replace('inc-1', 'inc-2'), headers)).toThrow();
    expect(() => new Webhook(SECRET).verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow();
    expect(() => new Webhook('whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD').verify(body, headers)).toThrow();
    const old = signedHeaders(SECRET, 'msg_1', body, new Date(Date.now() - 10 * 60_000));
    expect(() => new Webhook(SECRET).verify(body, old)).toThrow(/too old/i);
  });
});

describe('retryDelaySeconds', () => {
  it('doubles from the first delay up to the cap, less at most a tenth', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map((failures) => retryDelaySeconds(failures, 5, 60, 0))).toEqual([5, 10, 20, 40, 60, 60, 60]);
    expect(retryDelaySeconds(3, 5, 60, 1)).toBe(18);
  });
});
