/** The ChannelLinks the Slack handlers use (ChannelLinkStore in the service). */
export const CHANNEL_LINKS = Symbol('CHANNEL_LINKS');
