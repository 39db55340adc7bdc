import { loadConfig, shownValue } from '../config/load-config.js';
import { z } from 'zod';
import { bearerTokens } from './bearer-tokens-env.js';
import { defaultListenHost, isLoopbackHost } from './loopback.js';

describe('locked down by default', () => {
  it('listens on loopback until tokens are configured', () => {
    expect(defaultListenHost(undefined, [])).toBe('127.0.0.1');
    expect(defaultListenHost(undefined, ['a-long-enough-token'])).toBe('0.0.0.0');
    expect(defaultListenHost('10.0.0.5', [])).toBe('10.0.0.5');
  });

  it.each([
    ['localhost:3002', true],
    ['LOCALHOST', true],
    ['app.localhost:3002', true],
    ['127.0.0.1:3002', true],
    ['127.1.2.3', true],
    ['[::1]:3002', true],
    ['evil.example:3002', false],
    ['127.0.0.1.evil.example', false],
    ['localhost.evil.example', false],
    ['10.0.0.5:3002', false],
    [undefined, false],
  ])('Host %s names this machine: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  const schema = z.object({ READ_TOKENS: bearerTokens() });
  it.each(['change-me', 'changeme', 'short-token', 'CHANGEME-please-now'])('refuses the weak token %s at start-up, without repeating it', (token) => {
    expect(() => loadConfig(schema, { READ_TOKENS: `a-strong-token-0123456789,${token}` })).toThrow(/READ_TOKENS=\(\d+ characters, hidden\): token 2 is weak/);
  });

  it('takes strong tokens', () => {
    expect(loadConfig(schema, { READ_TOKENS: ' 5f2c1d0e9b8a7f6e5d4c, 0123456789abcdef ' }).READ_TOKENS).toEqual(['5f2c1d0e9b8a7f6e5d4c', '0123456789abcdef']);
  });

  it('masks secrets and URL passwords in configuration errors', () => {
    expect(shownValue('DATABASE_URL', 'postgres://aftermath:s3cr3t@db:5432/x')).toBe('"postgres://aftermath:***@db:5432/x"');
    expect(shownValue('DATABASE_URL', 'postgres://aftermath@db:5432/x')).toBe('"postgres://aftermath@db:5432/x"');
    expect(shownValue('KAFKA_SASL_PASSWORD', 'hunter2')).toBe('(7 characters, hidden)');
    expect(shownValue('GRAFANA_WEBHOOK_SECRET', 'abc')).toBe('(3 characters, hidden)');
    expect(shownValue('KAFKA_SSL_KEY_FILE', '/etc/key.pem')).toBe('"/etc/key.pem"');
    expect(shownValue('LOG_LEVEL', undefined)).toBe('unset');
    const schemaWithUrl = z.object({ DATABASE_URL: z.string().refine((url) => url.endsWith('/db'), 'expected a database') });
    expect(() => loadConfig(schemaWithUrl, { DATABASE_URL: 'postgres://u:pa55word@host:5432' })).toThrow('DATABASE_URL="postgres://u:***@host:5432": expected a database');
  });
});
