import type { Request } from 'express';
import { isProblem } from '@app/domain';
import { isLoopback } from './loopback.js';
import { authorizeBearer } from './bearer-tokens.js';

const request = (remoteAddress: string | undefined, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers }) as unknown as Request;
const status = (run: () => void) => {
  try {
    run();
    return 200;
  } catch (error) {
    if (isProblem(error)) return error.status;
    throw error;
  }
};

describe('who counts as local: the connection, never a header', () => {
  it('loopback addresses, IPv4 (the whole 127/8), IPv6 and IPv4-mapped', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1']) expect(isLoopback(address)).toBe(true);
  });

  it('any other address is not local, nor is an unknown one', () => {
    for (const address of ['192.0.2.2', '10.0.0.1', '::ffff:192.0.2.2', 'fd00::2', '0.0.0.0', '', undefined]) expect(isLoopback(address)).toBe(false);
  });

  it('without tokens, a remote connection is refused even when X-Forwarded-For or Host claim loopback', () => {
    expect(status(() => authorizeBearer(request('127.0.0.1', { host: '127.0.0.1:3002' }), [], 'ADMIN_TOKENS'))).toBe(200);
    expect(status(() => authorizeBearer(request('127.0.0.1', { host: 'rebound.example:3002' }), [], 'ADMIN_TOKENS'))).toBe(401);
    expect(status(() => authorizeBearer(request('192.0.2.2', { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1', host: 'localhost' }), [], 'ADMIN_TOKENS'))).toBe(401);
  });

  it('with tokens, a local connection needs one too', () => {
    expect(status(() => authorizeBearer(request('127.0.0.1'), ['s3cret'], 'ADMIN_TOKENS'))).toBe(401);
    expect(status(() => authorizeBearer(request('192.0.2.2', { authorization: 'Bearer s3cret' }), ['other', 's3cret'], 'ADMIN_TOKENS'))).toBe(200);
    expect(status(() => authorizeBearer(request('192.0.2.2', { authorization: 'Bearer s3cre' }), ['s3cret'], 'ADMIN_TOKENS'))).toBe(401);
  });
});
