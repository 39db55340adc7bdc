import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * Sees every finished response of a service, including those refused before routing (body too large,
 * invalid JSON) and by guards (401), which interceptors never see. A service names its provider in
 * createHttpApp's `responseObserver` option, which mounts it ahead of everything else.
 */
export interface HttpResponseObserver {
  observe(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, seconds: number): void;
}

export function observeResponses(observer: HttpResponseObserver): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => observer.observe(req, res, Number(process.hrtime.bigint() - started) / 1e9));
    next();
  };
}
