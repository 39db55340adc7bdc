import type { ChannelLink } from '@app/platform';

export { channelLinkKey, type ChannelLink } from '@app/platform';

/** Looks a channel's link up and records new ones; the store behind it is ChannelLinkStore. */
export interface ChannelLinks {
  get(teamId: string, channelId: string): Promise<ChannelLink | undefined>;
  set(link: ChannelLink): Promise<void>;
}
