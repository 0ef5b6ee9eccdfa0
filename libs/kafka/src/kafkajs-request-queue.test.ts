import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The class patched by patches/kafkajs+2.2.4.patch; kafkajs does not export it.
const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as new (
  options: Record<string, unknown>,
) => {
  push(request: {
    entry: { correlationId: number; [field: string]: unknown };
    expectResponse: boolean;
    sendRequest: () => void;
  }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
  destroy(): void;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
};

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function queue(maxInFlightRequests: number | null) {
  const sent: number[] = [];
  const requests = new RequestQueue({
    maxInFlightRequests,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: '127.0.0.1:9092',
    logger: silent,
  });
  const push = (correlationId: number) =>
    requests.push({
      entry: { correlationId, apiKey: 0, apiName: 'Produce', apiVersion: 7, resolve() {}, reject() {} },
      expectResponse: true,
      sendRequest: () => sent.push(correlationId),
    });
  const answer = (correlationId: number) =>
    requests.fulfillRequest({ correlationId, payload: Buffer.alloc(0), size: 0 });
  return { requests, sent, push, answer };
}

describe('the kafkajs request queue, as patched', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps no timer once a connection has nothing pending', () => {
    const { requests, push, answer } = queue(1);
    push(1);
    answer(1);
    expect(requests.throttleCheckTimeoutId).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
    requests.destroy();
  });

  it('sends a request held back by the in-flight limit when the one ahead is answered', () => {
    const { requests, sent, push, answer } = queue(1);
    push(1);
    push(2);
    expect(sent).toEqual([1]);
    answer(1);
    expect(sent).toEqual([1, 2]);
    requests.destroy();
  });

  it('sends a request held back by broker throttling once the throttle ends', () => {
    const { requests, sent, push } = queue(null);
    requests.maybeThrottle(500);
    push(1);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(499);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(sent).toEqual([1]);
    requests.destroy();
  });
});
