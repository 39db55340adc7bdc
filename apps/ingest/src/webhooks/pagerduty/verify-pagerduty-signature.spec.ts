import { createHmac } from 'node:crypto';
import { fixtureText } from '../../../test/fixtures/fixtures.js';
import { verifyPagerDutySignature } from './verify-pagerduty-signature.js';

const body = fixtureText('pagerduty/incident-triggered.json');
const v1 = (secret: string, payload = body) => `v1=${createHmac('sha256', secret).update(payload).digest('hex')}`;

describe('verifyPagerDutySignature', () => {
  it('accepts the v1 HMAC-SHA256 of the raw body, as bytes or as a string', () => {
    expect(verifyPagerDutySignature(Buffer.from(body), v1('current'), ['current'])).toBe(true);
    expect(verifyPagerDutySignature(body, v1('current'), ['current'])).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyPagerDutySignature(body, v1('someone-else'), ['current'])).toBe(false);
  });

  it('rejects a modified body, even by one space', () => {
    expect(verifyPagerDutySignature(body.replace('"urgency": "high"', '"urgency":  "high"'), v1('current'), ['current'])).toBe(false);
  });

  it('passes during a rotation when any signature matches any configured secret', () => {
    const header = `${v1('old')},${v1('new')}`;
    expect(verifyPagerDutySignature(body, header, ['new'])).toBe(true);
    expect(verifyPagerDutySignature(body, header, ['old'])).toBe(true);
    expect(verifyPagerDutySignature(body, v1('new'), ['old', 'new'])).toBe(true);
    expect(verifyPagerDutySignature(body, header, ['neither'])).toBe(false);
  });

  it('ignores other signature versions and malformed values', () => {
    const hex = v1('current').slice(3);
    expect(verifyPagerDutySignature(body, `v0=${hex}`, ['current'])).toBe(false);
    expect(verifyPagerDutySignature(body, `v1=${hex.slice(0, 40)}`, ['current'])).toBe(false);
    expect(verifyPagerDutySignature(body, `v1=${'z'.repeat(64)}`, ['current'])).toBe(false);
    expect(verifyPagerDutySignature(body, '', ['current'])).toBe(false);
    expect(verifyPagerDutySignature(undefined, v1('current'), ['current'])).toBe(false);
    expect(verifyPagerDutySignature(body, v1('current'), [])).toBe(false);
  });
});
