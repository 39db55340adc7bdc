import type { Kafka } from 'kafkajs';

/**
 * Which incident a Slack channel's commands go to; one record per channel, the latest wins. Ingest writes
 * them to the compacted topic slack-channel-links.v1 (keyed `<team>/<channel>`); the notifier reads them to
 * post an incident's message in its channel.
 */
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

/** The compacted topic of channel links (behind KAFKA_TOPIC_PREFIX): one record per channel survives. */
export const channelLinksTopic = (prefix: string) => `${prefix}slack-channel-links.v1`;

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

/** A fresh or busy broker answers "unknown topic" or "not hosted here" for a moment after creating a topic. */
export async function whileBrokerSettles<T>(work: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const retriable = (error as { retriable?: boolean; cause?: { retriable?: boolean } }).retriable ?? (error as { cause?: { retriable?: boolean } }).cause?.retriable;
      if (attempt >= attempts || !retriable) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

/** Creates the compacted channel-links topic unless it exists; ingest writes it, the notifier reads it. */
export async function ensureChannelLinksTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await whileBrokerSettles(async () => {
      // Asking to create an existing topic makes kafkajs log an error line; look first.
      if (!(await admin.listTopics()).includes(topic)) {
        await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
      }
      // Its leader known: the producer and consumer can use it right after.
      await admin.fetchTopicMetadata({ topics: [topic] });
    });
  } finally {
    await admin.disconnect();
  }
}
