import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { WEB_CONFIG, type WebConfig } from '../config.js';

/** A comment line now and then keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events for open pages: the server polls the timeline (one cheap read per page and
 * interval) and tells the browser `changed` when the fingerprint moves; the page's script then
 * fetches the page again and swaps its live regions. Without script, the page simply stays as it was.
 */
@Injectable()
export class LiveUpdates {
  constructor(@Inject(WEB_CONFIG) private readonly config: WebConfig) {}

  /** `since`: the fingerprint the page was rendered at, so a change between rendering and connecting is not missed. */
  stream(request: Request, response: Response, fingerprint: () => Promise<string>): void {
    const since = typeof request.query.since === 'string' ? request.query.since : undefined;
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write(`retry: ${Math.max(this.config.WEB_LIVE_POLL_MS, 1000)}\n\n`);
    let last: string | undefined = since;
    let closed = false;
    let polling = false;
    const poll = async () => {
      if (polling || closed) return;
      polling = true;
      try {
        const current = await fingerprint();
        if (last !== undefined && current !== last && !closed) response.write(`event: changed\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`);
        last = current;
      } catch {
        // The timeline is away for a moment: keep the stream, try again at the next tick.
      } finally {
        polling = false;
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), this.config.WEB_LIVE_POLL_MS);
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    request.on('close', () => {
      closed = true;
      clearInterval(timer);
      clearInterval(heartbeat);
    });
  }
}
