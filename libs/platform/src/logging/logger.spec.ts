import { Body, Controller, Get, HttpCode, Logger, Module, Post } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Writable } from 'node:stream';
import { createHttpApp } from '../http/bootstrap.js';
import { createLogger } from './logger.js';
import { redactSecrets } from './redact.js';

/** A destination that keeps the JSON lines pino writes. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { stream, lines, raw: () => raw.join('\n') };
}

describe('redactSecrets', () => {
  it('replaces secret-named fields at any depth, keeping the rest', () => {
    const input = { apiToken: 'tok', nested: { webhook_secret: 's', list: [{ password: 'p', name: 'n' }] }, tokenValid: true, count: 2 };
    expect(redactSecrets(input)).toEqual({
      apiToken: '[Redacted]',
      nested: { webhook_secret: '[Redacted]', list: [{ password: '[Redacted]', name: 'n' }] },
      tokenValid: true,
      count: 2,
    });
    expect(input.apiToken).toBe('tok');
  });

  it('returns objects without secrets unchanged', () => {
    const input = { a: 1, b: { c: [1, 2] } };
    expect(redactSecrets(input)).toBe(input);
  });
});

describe('createLogger', () => {
  it('writes JSON lines with service, level name and ISO time', () => {
    const out = capture();
    createLogger({ service: 'ingest', level: 'info', destination: out.stream }).info({ events: 3 }, 'published');
    expect(out.lines[0]).toMatchObject({ level: 'info', service: 'ingest', msg: 'published', events: 3 });
    expect(out.lines[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('honours LOG_LEVEL', () => {
    const out = capture();
    const logger = createLogger({ service: 'x', level: 'warn', destination: out.stream });
    logger.info('hidden');
    logger.warn('shown');
    expect(out.lines.map((line) => line.msg)).toEqual(['shown']);
  });

  it('redacts credentials: Authorization, webhook signatures, tokens and secrets', () => {
    const out = capture();
    const logger = createLogger({ service: 'ingest', destination: out.stream });
    logger.info(
      {
        req: {
          method: 'POST',
          url: '/v1/webhooks/pagerduty?secret=q',
          headers: {
            authorization: 'Bearer s3cr3t-bearer',
            'x-pagerduty-signature': 'v1=pd-signature',
            'x-grafana-alerting-signature': 'grafana-sig-value',
            'x-custom-token': 'custom-value',
            'content-type': 'application/json',
          },
        },
        config: { INGEST_TOKENS: ['ingest-token'], GRAFANA_WEBHOOK_SECRET: 'grafana-secret', KAFKA_SASL_PASSWORD: 'kafka-password' },
        headers: { authorization: 'Basic basic-credentials' },
      },
      'received',
    );
    const text = out.raw();
    for (const secret of ['s3cr3t-bearer', 'pd-signature', 'grafana-sig-value', 'custom-value', 'ingest-token', 'grafana-secret', 'kafka-password', 'basic-credentials', 'secret=q']) {
      expect(text).not.toContain(secret);
    }
    expect(out.lines[0]).toMatchObject({
      req: { method: 'POST', path: '/v1/webhooks/pagerduty', headers: { authorization: '[Redacted]', 'content-type': 'application/json' } },
    });
  });
});

@Controller()
class ProbeController {
  private readonly logger = new Logger('Probe');

  @Post('v1/things')
  @HttpCode(202)
  take(@Body() body: unknown) {
    this.logger.log(`took ${Object.keys(body as object).length} field(s)`);
    return { ok: true };
  }

  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  @Get('boom')
  boom() {
    throw new Error('kaput');
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('createHttpApp logging', () => {
  const out = capture();
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    app = await createHttpApp(ProbeModule, 'info', { service: 'probe', logDestination: out.stream });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(() => app.close());

  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it('sends Nest Logger output to pino, with the request id', async () => {
    const response = await fetch(`${url}/v1/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer very-secret', 'x-request-id': 'req-42' },
      body: JSON.stringify({ password: 'body-password', note: 'body-text' }),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-request-id')).toBe('req-42');
    await settle();
    expect(out.lines).toContainEqual(expect.objectContaining({ level: 'info', context: 'Probe', msg: 'took 2 field(s)', reqId: 'req-42', service: 'probe' }));
    expect(out.lines).toContainEqual(
      expect.objectContaining({ level: 'info', msg: 'POST /v1/things 202', method: 'POST', path: '/v1/things', status: 202, durationMs: expect.any(Number) }),
    );
    expect(out.raw()).not.toMatch(/very-secret|body-password|body-text/);
  });

  it('logs requests the body parser refuses', async () => {
    const response = await fetch(`${url}/v1/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(response.status).toBe(400);
    await settle();
    expect(out.lines).toContainEqual(expect.objectContaining({ msg: 'POST /v1/things 400', status: 400 }));
  });

  it('logs 5xx at error and stays quiet about health probes', async () => {
    await fetch(`${url}/health/live`);
    await fetch(`${url}/boom`);
    await settle();
    expect(out.lines.some((line) => String(line.path ?? '').startsWith('/health'))).toBe(false);
    expect(out.lines).toContainEqual(expect.objectContaining({ level: 'error', msg: 'GET /boom 500', status: 500 }));
  });
});
