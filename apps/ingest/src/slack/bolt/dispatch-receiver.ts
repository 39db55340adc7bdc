import type { App, Receiver, ReceiverEvent } from '@slack/bolt';

/** How Bolt answered one request: what the listener passed to `ack()`, or that no listener took it. */
export type BoltAnswer = { acked: true; response: unknown } | { acked: false };

/**
 * A Bolt receiver without a server of its own: the ingest HTTP server (Nest) receives, verifies and
 * parses Slack's requests and hands each body here. The answer is sent when the listener calls `ack()`
 * (never before: our listeners ack only after Kafka has the event), and Bolt's work after the ack,
 * such as `respond()` through response_url, goes on without holding the HTTP response.
 */
export class DispatchReceiver implements Receiver {
  private bolt: App | undefined;

  init(app: App): void {
    this.bolt = app;
  }

  /** Nest owns the HTTP server; there is nothing to start or stop. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  dispatch(body: Record<string, unknown>, customProperties: Record<string, unknown>, onLateError: (error: unknown) => void): Promise<BoltAnswer> {
    const bolt = this.bolt;
    if (!bolt) return Promise.reject(new Error('the Slack app is not initialised'));
    return new Promise<BoltAnswer>((resolve, reject) => {
      let acked = false;
      const event: ReceiverEvent = {
        body,
        customProperties,
        ack: async (response?: unknown) => {
          if (acked) return;
          acked = true;
          resolve({ acked: true, response });
        },
      };
      bolt.processEvent(event).then(
        () => {
          if (!acked) resolve({ acked: false });
        },
        (error: unknown) => {
          if (acked) onLateError(error);
          else reject(error);
        },
      );
    });
  }
}
