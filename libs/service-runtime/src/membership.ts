import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';

/** Whether the consumer is in its group: true from its first join until it crashes or stops. */
export function trackMembership(consumer: Consumer, logger: Logger, groupId: string): () => boolean {
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  consumer.on(consumer.events.CRASH, (event) => {
    joined = false;
    logger.error({ err: event.payload.error, groupId }, 'consumer crashed');
  });
  consumer.on(consumer.events.STOP, () => {
    joined = false;
  });
  return () => joined;
}
