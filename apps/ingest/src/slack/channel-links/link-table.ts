import { channelLinkKey, type ChannelLink } from './channel-link.js';

export { parseLinkRecord } from '@app/platform';

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
