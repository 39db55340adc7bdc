import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { unauthorized } from '@app/platform';
import { INGEST_CONFIG, type IngestConfig } from '../../config.js';
import { requireJson } from '../../events/json-body.js';
import { isFreshTimestamp, verifyGrafanaSignature } from './verify-grafana-signature.js';

type RawBodyRequest = Request & { rawBody?: Buffer };

/**
 * Grafana's optional HMAC: enforced only when GRAFANA_WEBHOOK_SECRET is set (the bearer guard still applies).
 * Any of its comma-separated secrets signs validly, so a secret is rotated without a window of 401s.
 */
@Injectable()
export class GrafanaSignatureGuard implements CanActivate {
  constructor(@Inject(INGEST_CONFIG) private readonly config: IngestConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const secrets = this.config.GRAFANA_WEBHOOK_SECRET;
    if (secrets.length === 0) return true;
    const request = context.switchToHttp().getRequest<RawBodyRequest>();
    // The raw body exists only for JSON requests; a wrong type is a 415, not a misleading 401.
    requireJson(request);
    const timestampHeader = this.config.GRAFANA_WEBHOOK_TIMESTAMP_HEADER;
    const timestamp = timestampHeader ? request.get(timestampHeader) : undefined;
    if (timestampHeader && !isFreshTimestamp(timestamp, Date.now())) {
      throw unauthorized(`missing or stale ${timestampHeader} header`);
    }
    const signature = request.get(this.config.GRAFANA_WEBHOOK_SIGNATURE_HEADER);
    if (!signature) throw unauthorized(`missing ${this.config.GRAFANA_WEBHOOK_SIGNATURE_HEADER} header`);
    // Every secret is tried (no early exit), so the time taken does not tell which one matched.
    const matches = secrets.map((secret) => verifyGrafanaSignature({ rawBody: request.rawBody, signature, timestamp }, secret, !!timestampHeader));
    if (!matches.includes(true)) {
      throw unauthorized(`wrong ${this.config.GRAFANA_WEBHOOK_SIGNATURE_HEADER} signature`);
    }
    return true;
  }
}
