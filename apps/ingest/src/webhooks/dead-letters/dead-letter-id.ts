import { createHash } from 'node:crypto';

/**
 * A kept-aside body's id: derived from where it came and its bytes, so the same body re-sent (the tools
 * retry, Alertmanager repeats a group) is the same dead letter, stored once.
 */
export const deadLetterId = (source: string, body: Buffer): string =>
  `dl-${createHash('sha256').update(`${source}\n`).update(body).digest('hex').slice(0, 32)}`;
