import { createHmac } from 'node:crypto';
import { slackSignatureProblem } from './verify-slack-signature.js';

// Slack's documented example (https://api.slack.com/authentication/verifying-requests-from-slack).
const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const timestamp = '1531420618';
const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const signature = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const at = Number(timestamp) * 1000;
const check = (overrides: Partial<{ rawBody: Buffer; timestamp: string; signature: string }>, nowMs = at) =>
  slackSignatureProblem({ rawBody: Buffer.from(body), timestamp, signature, ...overrides }, secret, nowMs);

describe('Slack request signatures', () => {
  it('accepts Slack\'s documented example', () => {
    expect(check({})).toBeNull();
  });

  it('accepts a request up to five minutes either side of our clock, and no further', () => {
    expect(check({}, at + 300_000)).toBeNull();
    expect(check({}, at - 300_000)).toBeNull();
    expect(check({}, at + 301_000)).toMatch(/more than 5 minutes/);
    expect(check({}, at - 301_000)).toMatch(/more than 5 minutes/);
  });

  it.each([
    [{ rawBody: Buffer.from(`${body}&text=forged`) }, /wrong X-Slack-Signature/],
    [{ signature: signature.replace('a2114d', 'a2114e') }, /wrong X-Slack-Signature/],
    [{ signature: signature.slice(0, -2) }, /wrong X-Slack-Signature/],
    [{ signature: signature.replace('v0=', 'v1=') }, /not a v0 signature/],
    [{ signature: '' }, /missing X-Slack-Signature/],
    [{ timestamp: '' }, /X-Slack-Request-Timestamp/],
    [{ timestamp: '1531420618.5' }, /malformed X-Slack-Request-Timestamp/],
    [{ rawBody: undefined }, /no request body/],
  ])('refuses %p', (overrides, reason) => {
    expect(check(overrides as never)).toMatch(reason);
  });

  it('covers the timestamp: the same body signed at another time does not verify at this one', () => {
    const other = `v0=${createHmac('sha256', secret).update(`v0:1531420619:${body}`).digest('hex')}`;
    expect(check({ signature: other })).toMatch(/wrong X-Slack-Signature/);
  });
});
