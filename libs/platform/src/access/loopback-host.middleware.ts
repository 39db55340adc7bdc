import type { RequestHandler } from 'express';
import { forbidden } from '@app/domain';
import { problemOf, sendProblem } from '../problems/problem.filter.js';
import { isLoopbackHost } from './loopback.js';

/**
 * For a service without tokens: every request must name this machine in `Host`. It listens on the
 * loopback interface by default, but a browser on this machine would still carry a rebound name
 * (`evil.example` resolving to 127.0.0.1) to it; this refuses those before any route runs (Express
 * middleware, so the answer is sent here rather than by ProblemFilter).
 */
export function loopbackHostOnly(variable: string): RequestHandler {
  return (req, res, next) => {
    if (isLoopbackHost(req.headers.host)) return next();
    const refusal = forbidden(`${variable} is not set: only requests naming this machine in Host (localhost, 127.0.0.1, [::1]) are served`);
    sendProblem(res, problemOf(refusal), req.path);
  };
}
