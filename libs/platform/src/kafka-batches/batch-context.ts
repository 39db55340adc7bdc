import { BaseRpcContext } from '@nestjs/microservices';

type BatchContextArgs = [topic: string, partition: number, heartbeat: () => Promise<void>];

/** What a batch handler (`@Ctx()`) learns about the messages it got (`@Payload()`): where they come from. */
export class KafkaBatchContext extends BaseRpcContext<BatchContextArgs> {
  getTopic(): string {
    return this.args[0];
  }

  getPartition(): number {
    return this.args[1];
  }

  /** Keeps the consumer's group membership alive during long work. */
  heartbeat(): Promise<void> {
    return this.args[2]();
  }
}
