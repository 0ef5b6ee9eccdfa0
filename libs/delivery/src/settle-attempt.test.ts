import type { DeliveryTask } from '@wms-webhooks/contracts';
import { testWebhook } from '@wms-webhooks/webhooks/testing';
import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from './http-client';
import { resendTask, testTask } from './manual-tasks';
import { sampleAttempt } from './sample-attempt.fixture';
import { sampleTask } from './sample-task.fixture';
import {
  awaitedByOperator,
  isManualTry,
  readyToSend,
  type SentAttempt,
  settleAttempt,
} from './settle-attempt';

const minute = 60_000;
const failed = (statusCode: number, retryAfterMs?: number): AttemptOutcome => ({
  outcome: 'failed',
  kind: 'status',
  statusCode,
  error: `HTTP ${statusCode}`,
  durationMs: 40,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

const attempt = (fields: Partial<SentAttempt> = {}): SentAttempt => ({
  task: sampleTask('wh-1', 'ev-1'),
  webhook: testWebhook({ id: 'wh-1', retryPolicy: 'one-day' }),
  outcome: failed(503),
  startedAt: 10 * minute,
  settledAt: 10 * minute + 40,
  timeScale: 1,
  origin: 'sender',
  ...fields,
});

describe('settleAttempt', () => {
  describe('when the endpoint answers 2xx', () => {
    it('is delivered, logged as final with no next attempt', () => {
      const settled = settleAttempt(
        attempt({ outcome: { outcome: 'succeeded', statusCode: 204, durationMs: 12 } }),
      );
      expect(settled.kind).toBe('delivered');
      expect(settled.log).toMatchObject({
        outcome: 'succeeded',
        statusCode: 204,
        final: true,
        nextAttemptAt: null,
      });
    });
  });

  describe('when the endpoint returns 503 on the first attempt', () => {
    it('schedules attempt 2 on the 1m tier, a minute after the failure', () => {
      const settled = settleAttempt(attempt());
      expect(settled).toMatchObject({ kind: 'retry', tier: '1m' });
      if (settled.kind !== 'retry') return;
      expect(settled.next).toMatchObject({
        attempt: 2,
        firstAttemptAt: 10 * minute,
        dueAt: 11 * minute + 40,
        origin: 'sender',
      });
      expect(settled.next.history).toEqual([
        {
          attempt: 1,
          startedAt: 10 * minute,
          durationMs: 40,
          outcome: 'failed',
          statusCode: 503,
          error: 'HTTP 503',
        },
      ]);
      expect(settled.log).toMatchObject({ final: false, nextAttemptAt: new Date(11 * minute + 40) });
    });

    it('waits as long as Retry-After asks, on the tier that covers the wait', () => {
      const settled = settleAttempt(attempt({ outcome: failed(503, 20 * minute) }));
      expect(settled).toMatchObject({ kind: 'retry', tier: '30m', next: { dueAt: 30 * minute + 40 } });
    });
  });

  describe('when the receiver answers 410 Gone', () => {
    it('is dead at once, with retries left, and asks for its webhook to be disabled', () => {
      const settled = settleAttempt(attempt({ outcome: failed(410) }));
      expect(settled).toMatchObject({
        kind: 'dead',
        disableWebhook: 'the receiver answered 410 Gone',
        dead: {
          finalReason: 'the receiver answered 410 Gone, so the webhook was disabled; last error: HTTP 410',
        },
      });
    });

    it('disables nothing after a test, which only shows the answer', () => {
      const settled = settleAttempt(
        attempt({ task: sampleTask('wh-1', 'ev-1', { test: true }), outcome: failed(410) }),
      );
      expect(settled).toEqual({ kind: 'stopped', log: expect.objectContaining({ statusCode: 410 }) });
    });
  });

  describe('when the retry policy is none', () => {
    it('is dead after the one attempt, its event kept for a resend', () => {
      const settled = settleAttempt(attempt({ webhook: testWebhook({ id: 'wh-1', retryPolicy: 'none' }) }));
      expect(settled.kind).toBe('dead');
      if (settled.kind !== 'dead') return;
      expect(settled.dead.finalReason).toBe('the retry policy is none; last error: HTTP 503');
      expect(settled.log.event).toMatchObject({ entityId: 'ORD', payload: '{}' });
    });
  });

  describe('when the day is over', () => {
    it('is dead instead of scheduling past the window', () => {
      const task = sampleTask('wh-1', 'ev-1', { attempt: 16, firstAttemptAt: 0 });
      const settled = settleAttempt(
        attempt({ task, startedAt: 23 * 60 * minute, settledAt: 23 * 60 * minute }),
      );
      expect(settled.kind).toBe('dead');
    });
  });

  describe('when an operator tried it by hand', () => {
    it('stops after a failed test, never retried', () => {
      expect(settleAttempt(attempt({ task: sampleTask('wh-1', 'ev-1', { test: true }) })).kind).toBe(
        'stopped',
      );
    });

    it('stops after a failed resend, its event kept so it can be resent again', () => {
      const settled = settleAttempt(attempt({ task: sampleTask('wh-1', 'ev-1', { origin: 'api-resend' }) }));
      expect(settled.kind).toBe('stopped');
      expect(settled.log.event).toBeDefined();
    });
  });
});

describe('what a failed attempt keeps for the Logs', () => {
  const request = {
    url: 'https://erp.example/hooks',
    headers: { Authorization: 'Basic dXNlcjpwYXNz', 'webhook-signature': 'v1,abc' },
    body: '{"eventId":"ev-1"}',
  };
  const response = {
    headers: [{ name: 'content-type', value: 'text/plain' }],
    body: { text: 'database unavailable', bytes: 20, truncated: false },
  };

  describe('when the receiver answered 500', () => {
    it('logs the request with credentials masked and the answer', () => {
      const outcome: AttemptOutcome = {
        outcome: 'failed',
        kind: 'status',
        statusCode: 500,
        error: 'HTTP 500 Internal Server Error',
        durationMs: 30,
        response,
      };
      const settled = settleAttempt(attempt({ outcome, request }));
      expect(settled.log.exchange).toEqual({
        request: {
          method: 'POST',
          url: 'https://erp.example/hooks',
          headers: [
            { name: 'Authorization', value: 'Basic ***' },
            { name: 'webhook-signature', value: 'v1,***' },
          ],
          body: { text: '{"eventId":"ev-1"}', bytes: 18, truncated: false },
        },
        response,
      });
    });
  });

  describe('when no answer came', () => {
    it('logs the request and no response; the error names the phase', () => {
      const outcome: AttemptOutcome = {
        outcome: 'failed',
        kind: 'connect',
        statusCode: null,
        error: 'connection refused',
        durationMs: 2,
      };
      const settled = settleAttempt(attempt({ outcome, request }));
      expect(settled.log).toMatchObject({ errorKind: 'connect', exchange: { response: null } });
    });
  });

  describe('when the request never left', () => {
    it('logs no exchange for an open circuit', () => {
      const outcome: AttemptOutcome = {
        outcome: 'failed',
        kind: 'circuit-open',
        statusCode: null,
        error: 'not sent',
        durationMs: 0,
      };
      expect(settleAttempt(attempt({ outcome })).log.exchange).toBeUndefined();
    });
  });

  describe('when the attempt succeeded', () => {
    it('logs no exchange', () => {
      const settled = settleAttempt(
        attempt({ outcome: { outcome: 'succeeded', statusCode: 200, durationMs: 5 }, request }),
      );
      expect(settled.log.exchange).toBeUndefined();
    });
  });
});

describe('readyToSend', () => {
  it('sends to an enabled webhook whose secrets open', () => {
    const webhook = testWebhook({ id: 'wh-1' });
    expect(readyToSend(sampleTask('wh-1', 'ev-1'), webhook, 0)).toEqual({ webhook });
  });

  it('stops a delivery to a deleted webhook', () => {
    expect(readyToSend(sampleTask('wh-1', 'ev-1'), undefined, 0)).toMatchObject({
      refused: { kind: 'stopped', log: { errorKind: 'webhook-deleted', final: true } },
    });
  });

  it('stops a delivery to a disabled webhook, but not a test', () => {
    const disabled = testWebhook({ id: 'wh-1', enabled: false });
    expect(readyToSend(sampleTask('wh-1', 'ev-1'), disabled, 0)).toMatchObject({
      refused: { kind: 'stopped', log: { errorKind: 'webhook-disabled' } },
    });
    expect(readyToSend(sampleTask('wh-1', 'ev-1', { test: true }), disabled, 0)).toEqual({
      webhook: disabled,
    });
  });

  it('quarantines a delivery whose secrets do not open, with the reason', () => {
    const sealed = testWebhook({
      id: 'wh-1',
      unreadableSecrets: 'sealed with key k9, which the keyring lacks',
    });
    expect(readyToSend(sampleTask('wh-1', 'ev-1'), sealed, 0)).toMatchObject({
      refused: { kind: 'quarantined', reason: 'sealed with key k9, which the keyring lacks' },
    });
  });
});

describe('when an operator waits to see an attempt, told from its log alone', () => {
  const webhook = testWebhook({ id: 'wh-1', retryPolicy: 'one-day' });
  const finalFailure = sampleAttempt({
    webhookId: 'wh-1',
    attempt: 5,
    outcome: 'failed',
    final: true,
    event: { occurredAt: new Date(0), warehouseId: null, entityId: 'ORD', payload: '{}' },
  });
  const retried = settleAttempt(attempt());
  const tasks = {
    'a first attempt': sampleTask('wh-1', 'ev-1'),
    'a retry': retried.kind === 'retry' ? retried.next : undefined,
    'a test': testTask(webhook, 0),
    'a Resend': resendTask([finalFailure], 0),
    'a replayed failure': resendTask([finalFailure], 0, 'replay-1'),
  };

  const logOf = (task: DeliveryTask | undefined) => {
    if (!task) throw new Error('no task was made');
    return settleAttempt(attempt({ task, webhook })).log;
  };

  it.each(Object.entries(tasks))('agrees with its task for %s', (_kind, task) => {
    const manualTry = task !== undefined && isManualTry(task);
    expect(awaitedByOperator(logOf(task))).toBe(manualTry && task.replayId === null);
  });

  it('counts a test and a Resend, and nothing a schedule or a replay made', () => {
    expect(
      Object.entries(tasks)
        .filter(([, task]) => awaitedByOperator(logOf(task)))
        .map(([kind]) => kind),
    ).toEqual(['a test', 'a Resend']);
  });
});
