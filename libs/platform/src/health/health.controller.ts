import { Controller, Get, HttpCode, HttpException, HttpStatus, Inject } from '@nestjs/common';

/** A dependency the service cannot work without; `check` rejects when it is unusable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

const CHECK_TIMEOUT_MS = 2000;

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

@Controller('health')
export class HealthController {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
    const results = await Promise.all(
      this.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), CHECK_TIMEOUT_MS);
          return [name, { status: 'up' }] as const;
        } catch (error) {
          return [name, { status: 'down', error: (error as Error).message }] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const down = results.filter(([, r]) => r.status === 'down');
    if (down.length > 0) {
      // problem+json (ProblemFilter keeps a body with a title) whose detail names each failing check and why.
      const detail = down.map(([name, r]) => `${name}: ${'error' in r ? r.error : 'down'}`).join('; ');
      throw new HttpException({ title: 'Service Unavailable', detail }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: 'ok', checks };
  }
}
