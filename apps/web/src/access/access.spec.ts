import type { Request } from 'express';
import { CsrfTokens } from './csrf.js';
import { identify } from './person.js';

const request = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers }) as unknown as Request;

describe('who is using the workspace', () => {
  it('without a proxy header configured: this machine only, as its user', () => {
    expect(identify(request('127.0.0.1', { host: '127.0.0.1:3004' }), {})).toMatchObject({ ok: true, person: { via: 'local' } });
    expect(identify(request('::1', { host: 'localhost:3004' }), {})).toMatchObject({ ok: true, person: { via: 'local' } });
    expect(identify(request('10.0.0.7', { host: '127.0.0.1:3004' }), {})).toMatchObject({ ok: false, status: 403 });
  });

  it('without a proxy header configured: a name rebound to 127.0.0.1 is refused (DNS rebinding)', () => {
    expect(identify(request('127.0.0.1', { host: 'rebound.example:3004' }), {})).toMatchObject({ ok: false, status: 403 });
    expect(identify(request('127.0.0.1'), {})).toMatchObject({ ok: false, status: 403 });
  });

  it('behind a proxy: the person its header names, and nobody without it', () => {
    const config = { WEB_TRUSTED_USER_HEADER: 'x-forwarded-user' };
    expect(identify(request('10.0.0.7', { 'x-forwarded-user': 'dana@example.com' }), config)).toEqual({ ok: true, person: { name: 'dana@example.com', via: 'proxy' } });
    expect(identify(request('10.0.0.7'), config)).toMatchObject({ ok: false, status: 401 });
    expect(identify(request('10.0.0.7', { 'x-forwarded-user': 'bad\u0000name' }), config)).toMatchObject({ ok: false, status: 401 });
  });
});

describe('cross-site protection', () => {
  const tokens = new CsrfTokens();
  const post = (headers: Record<string, string>) => request('127.0.0.1', { host: 'aftermath.example', ...headers });

  it('accepts the form of the same person from the same site', () => {
    expect(tokens.problem(post({ origin: 'https://aftermath.example', 'sec-fetch-site': 'same-origin' }), 'dana', tokens.tokenFor('dana'))).toBeNull();
    expect(tokens.problem(post({}), 'dana', tokens.tokenFor('dana'))).toBeNull();
  });

  it('refuses another site, another person\'s token, or none', () => {
    expect(tokens.problem(post({ origin: 'https://evil.example' }), 'dana', tokens.tokenFor('dana'))).toMatch(/another site/);
    expect(tokens.problem(post({ 'sec-fetch-site': 'cross-site' }), 'dana', tokens.tokenFor('dana'))).toMatch(/another site/);
    expect(tokens.problem(post({ origin: 'null' }), 'dana', tokens.tokenFor('dana'))).toMatch(/another site/);
    expect(tokens.problem(post({}), 'dana', tokens.tokenFor('eve'))).toMatch(/out of date/);
    expect(tokens.problem(post({}), 'dana', undefined)).toMatch(/out of date/);
  });
});
