import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { Params } from 'nestjs-pino';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { REDACT_PATHS, REDACTED, redactSecrets, SECRET_KEY } from './redact.js';

/** LOG_LEVEL values (config/load-config.ts); pino's names for them. */
const LEVELS: Record<string, Level> = { debug: 'debug', info: 'info', warn: 'warn', error: 'error' };

export interface LoggerSettings {
  /** Put on every line as `service`, so lines of several services can share one index. */
  service: string;
  /** LOG_LEVEL: debug, info, warn or error. */
  level?: string;
  /** Where the JSON lines go; stdout when omitted (tests pass a stream to read them back). */
  destination?: DestinationStream;
}

/**
 * The one pino logger of a service: JSON lines on stdout (`level` as a name, `time` in ISO 8601),
 * with secrets redacted by key name anywhere in a logged object and in the known request headers.
 * Human-readable output is deliberately not built in: pipe through `pino-pretty` when reading by eye.
 */
export function createLogger({ service, level = 'info', destination }: LoggerSettings): Logger {
  const options = {
    level: LEVELS[level] ?? 'info',
    base: { service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label: string) => ({ level: label }),
      log: (object: Record<string, unknown>) => redactSecrets(object),
    },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: { err: pino.stdSerializers.err, req: serializeRequest },
  };
  return destination ? pino(options, destination) : pino(options);
}

type Request = IncomingMessage & { originalUrl?: string; id?: unknown };

/** The path without the query string: queries are not needed to follow a request and may carry ids. */
export function requestPath(req: { originalUrl?: string; url?: string }): string {
  const url = req.originalUrl ?? req.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Probes and scrapes: several a minute, every minute, and never interesting while they answer. */
export function isQuietPath(path: string): boolean {
  return path === '/metrics' || path === '/health' || path.startsWith('/health/');
}

/** Method, path and headers, with every secret-looking header (Authorization, signatures, tokens) redacted. */
function serializeRequest(req: { id?: unknown; method?: string; url?: string; originalUrl?: string; headers?: Record<string, unknown> }) {
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(req.headers ?? {})) headers[name] = SECRET_KEY.test(name) ? REDACTED : value;
  return { id: req.id, method: req.method, path: requestPath(req), headers };
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's `X-Request-Id` when it is a sane token, a new UUID otherwise; echoed in the response. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const header = req.headers['x-request-id'];
  const id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  if (!res.headersSent) res.setHeader('X-Request-Id', id);
  return id;
}

const accessFields = (req: Request, res: ServerResponse, responseTime: unknown) => ({
  method: req.method,
  path: requestPath(req),
  status: res.statusCode,
  durationMs: responseTime,
});

/**
 * One line per finished request (method, path, status, durationMs): info, warn for 503 (a dependency
 * is down; senders retry) and error for other 5xx. Never the body; nothing for /health and /metrics.
 * Mounted before the body parser, so bodies refused there (413, invalid JSON) are logged too.
 */
export function httpAccessLogger(logger: Logger): HttpLogger<Request, ServerResponse> {
  return pinoHttp<Request, ServerResponse>({
    logger,
    serializers: { req: serializeRequest },
    genReqId: requestId,
    quietReqLogger: true,
    quietResLogger: true,
    autoLogging: { ignore: (req) => isQuietPath(requestPath(req)) },
    customLogLevel: (_req, res, error) => (res.statusCode === 503 ? 'warn' : error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${requestPath(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${requestPath(req)} ${res.statusCode}`,
    customSuccessObject: (req, res, value: { responseTime?: unknown }) => accessFields(req, res, value.responseTime),
    customErrorObject: (req, res, _error, value: { responseTime?: unknown }) => accessFields(req, res, value.responseTime),
  });
}

/**
 * nestjs-pino's settings: the same logger, no automatic lines (httpAccessLogger writes those), and a
 * request context, so `Logger` calls made while handling a request carry its `reqId`.
 */
export function loggerModuleParams(logger: Logger): Params {
  return {
    pinoHttp: { logger, serializers: { req: serializeRequest }, autoLogging: false, quietReqLogger: true, genReqId: requestId },
  };
}
