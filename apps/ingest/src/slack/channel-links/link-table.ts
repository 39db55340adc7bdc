import { channelLinkKey, type ChannelLink } from './channel-link.js';

const FIELDS = ['teamId', 'channelId', 'channelName', 'incidentRef', 'service', 'linkedBy', 'linkedAt'] as const;

/** A link record as read back from Kafka; anything else (an older or foreign shape) is null, never a crash. */
export function parseLinkRecord(value: Buffer | null): ChannelLink | null {
  if (!value) return null;
  try {
    const record = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
    if (!FIELDS.every((field) => typeof record[field] === 'string' && record[field] !== '')) return null;
    return Object.fromEntries(FIELDS.map((field) => [field, record[field]])) as unknown as ChannelLink;
  } catch {
    return null;
  }
}

/**
 * The latest link of each channel by log position. Records arrive from two directions, the topic's
 * consumer and this instance's own writes (read-your-writes), so each entry keeps its offset and an
 * older record never replaces a newer one, whichever arrives last. Pure.
 */
export class LinkTable {
  private readonly entries = new Map<string, { link: ChannelLink | null; offset: bigint }>();

  /** A record at `offset` of the (single-partition) topic; null is a tombstone: the channel is unlinked. */
  apply(key: string, link: ChannelLink | null, offset: bigint): void {
    const current = this.entries.get(key);
    if (current && current.offset >= offset) return;
    this.entries.set(key, { link, offset });
  }

  get(teamId: string, channelId: string): ChannelLink | undefined {
    return this.entries.get(channelLinkKey(teamId, channelId))?.link ?? undefined;
  }

  get size(): number {
    return [...this.entries.values()].filter((entry) => entry.link !== null).length;
  }
}
