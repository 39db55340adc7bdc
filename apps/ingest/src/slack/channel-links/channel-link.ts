/** Which incident a Slack channel's commands go to; one record per channel, the latest wins. */
export interface ChannelLink {
  teamId: string;
  channelId: string;
  channelName: string;
  /** The incident id or key the channel's events carry as `incidentKey`. */
  incidentRef: string;
  /** The service its events carry: named by `declare ... service=<name>`, else `unknown` (EVENTS.md). */
  service: string;
  /** `slack:<user_name>` of who linked it, and when (RFC 3339). */
  linkedBy: string;
  linkedAt: string;
}

/** The Kafka message key of a channel's link: channel ids are unique per workspace only. */
export const channelLinkKey = (teamId: string, channelId: string) => `${teamId}/${channelId}`;

/** Looks a channel's link up and records new ones; the store behind it is ChannelLinkStore. */
export interface ChannelLinks {
  get(teamId: string, channelId: string): Promise<ChannelLink | undefined>;
  set(link: ChannelLink): Promise<void>;
}
