import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { conflict, invalidRequest, messageOf, notFound, serviceUnavailable } from '@app/platform';
import { INGEST_CONFIG, type IngestConfig } from '../../config.js';
import type { WebhookSource } from '../webhook-mappers.js';
import { deadLetterId } from './dead-letter-id.js';

/** The header naming the dead letter a replay request carries (`npm run dead-letters -- replay ID` sets it). */
export const DEAD_LETTER_ID_HEADER = 'aftermath-dead-letter-id';

/** What the replay routes need of a stored letter (the timeline's GET /v1/dead-letters/:id). */
interface StoredLetter {
  topic: string;
  kind: string;
  source: string;
  body?: string;
  bodyBase64?: string;
}

/** What a replay route replays: a tool's kept-aside body, or an envelope the timeline refused. */
export type ReplayOf = { webhook: WebhookSource } | 'event';

/**
 * The replay routes replay only what was kept aside: the request names a dead letter, and its body must be
 * that letter's bytes as the timeline stored them, of the route's kind (a tool's body through that tool's
 * route, an envelope of incident-events.v1 through /v1/events/replay). A kept-aside body's id is also
 * derived from its tool and bytes (dead-letter-id.ts), so it cannot name another body. Ingest reads the
 * letter with the operator's own bearer token: the timeline grants it as it would to the operator.
 */
@Injectable()
export class StoredLetters {
  constructor(@Inject(INGEST_CONFIG) private readonly config: IngestConfig) {}

  async confirm(request: Request, replayOf: ReplayOf): Promise<void> {
    const id = request.get(DEAD_LETTER_ID_HEADER);
    if (!id) {
      throw invalidRequest([{ path: DEAD_LETTER_ID_HEADER, message: 'required: the id of the dead letter replayed (only what was kept aside is replayed; npm run dead-letters -- replay ID)' }]);
    }
    const letter = await this.read(id, request.headers.authorization);
    const bytes = (request as Request & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
    const stored = letter.body !== undefined ? Buffer.from(letter.body, 'utf8') : Buffer.from(letter.bodyBase64 ?? '', 'base64');
    if (!stored.equals(bytes)) throw conflict(`the body is not the one kept aside as dead letter ${id}`);
    if (replayOf === 'event') {
      if (letter.kind !== 'event' || letter.topic !== 'incident-events.dlq.v1') throw conflict(`dead letter ${id} is not an event of incident-events.v1 (${letter.topic}, ${letter.kind} of ${letter.source})`);
      return;
    }
    if (letter.kind !== 'webhook' || letter.source !== replayOf.webhook || deadLetterId(replayOf.webhook, bytes) !== id) {
      throw conflict(`dead letter ${id} is not a ${replayOf.webhook} body kept aside (${letter.kind} of ${letter.source})`);
    }
  }

  private async read(id: string, authorization: string | undefined): Promise<StoredLetter> {
    const url = `${this.config.TIMELINE_URL}/v1/dead-letters/${encodeURIComponent(id)}`;
    let response: Response;
    try {
      response = await fetch(url, { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw serviceUnavailable(`the timeline (TIMELINE_URL) cannot be reached to read dead letter ${id}: ${messageOf(error)}`, error);
    }
    if (response.status === 404) throw notFound(`no dead letter ${id} is stored: only what was kept aside is replayed`);
    if (response.status !== 200) {
      throw serviceUnavailable(`the timeline answered ${response.status} when asked for dead letter ${id} (it must accept the operator's token: the same ADMIN_TOKENS on both)`);
    }
    return (await response.json()) as StoredLetter;
  }
}
