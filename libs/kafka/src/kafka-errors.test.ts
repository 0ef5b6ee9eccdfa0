import { describe, expect, it } from 'vitest';
import { isRetriableKafkaError } from './kafka-errors';

const failure = (message: string, properties: object = {}) => Object.assign(new Error(message), properties);

describe('isRetriableKafkaError', () => {
  it('retries what the client marks retriable, however deeply it is wrapped', () => {
    const notLeader = failure('NOT_LEADER_OR_FOLLOWER', { canRetry: true });
    const aggregate = failure('Producing messages failed.', {
      errors: [failure('request', { errors: [notLeader] })],
    });
    expect(isRetriableKafkaError(aggregate)).toBe(true);
  });

  it('gives up when any error beneath says it cannot pass', () => {
    const tooLarge = failure('MESSAGE_TOO_LARGE', { canRetry: false });
    const aggregate = failure('Producing messages failed.', {
      errors: [failure('connection', { canRetry: true }), failure('request', { cause: tooLarge })],
    });
    expect(isRetriableKafkaError(aggregate)).toBe(false);
  });
});
