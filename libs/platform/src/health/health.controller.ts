import { Controller, Get, HttpCode, Inject } from '@nestjs/common';
import { messageOf, serviceUnavailable } from '@app/domain';

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
          return [name, { status: 'down', error: messageOf(error) }] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const down = results.filter(([, r]) => r.status === 'down');
    if (down.length > 0) {
      // The detail names each failing check and why.
      throw serviceUnavailable(down.map(([name, r]) => `${name}: ${'error' in r ? r.error : 'down'}`).join('; '));
    }
    return { status: 'ok', checks };
  }
}
