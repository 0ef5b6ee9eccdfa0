import { describe, expect, it } from 'vitest';
import { composeFailureEmail } from './failure-email';
import type { FailureNotice } from './failure-notice';

const webhook = {
  id: 'w-1',
  name: 'Acme orders',
  url: 'https://acme.example/hooks',
  email: 'ops@acme.example',
};
const notice = (eventId: string, error = 'HTTP 503 Service Unavailable'): FailureNotice => ({
  deliveryId: `d-${eventId}`,
  eventId,
  eventType: 'order.picked',
  goodsOwnerId: 12,
  entityId: 'ORD-1',
  occurredAt: new Date('2026-11-22T10:00:00Z'),
  attempts: [
    { attempt: 1, startedAt: new Date('2026-11-22T10:00:01Z'), statusCode: 500, error: 'HTTP 500' },
    { attempt: 2, startedAt: new Date('2026-11-22T10:01:01Z'), statusCode: 503, error },
  ],
  lastError: error,
  reason: 'the retry policy is none',
});
const logsUrl = 'http://127.0.0.1:8080/#/webhooks/w-1/logs';

describe('composeFailureEmail', () => {
  describe('for one failed delivery', () => {
    const email = composeFailureEmail(webhook, [notice('e-1')], { logsUrl });

    it('goes to the webhook’s address with a subject naming it and the event type', () => {
      expect(email.to).toBe('ops@acme.example');
      expect(email.subject).toBe('Webhook "Acme orders": a delivery failed (order.picked)');
    });

    it('names the webhook, its URL, the event, every attempt, the last error and the logs link', () => {
      expect(email.text).toContain('URL:         https://acme.example/hooks');
      expect(email.text).toContain('Event:       order.picked e-1');
      expect(email.text).toContain('Attempts:    2');
      expect(email.text).toContain('#1   2026-11-22T10:00:01Z  HTTP 500');
      expect(email.text).toContain('Last error:  HTTP 503 Service Unavailable');
      expect(email.text).toContain(`Logs (and Resend): ${logsUrl}`);
      expect(email.text).not.toContain('Also failed');
    });
  });

  describe('for a digest', () => {
    const email = composeFailureEmail(webhook, [notice('e-1'), notice('e-2'), notice('e-3')], {
      logsUrl,
      omitted: 4,
    });

    it('counts every failure in the subject, including those beyond the cap', () => {
      expect(email.subject).toBe('Webhook "Acme orders": 7 deliveries failed');
    });

    it('describes the first in full and lists the rest one line each', () => {
      expect(email.text).toContain('Event:       order.picked e-1');
      expect(email.text).toContain('Also failed since the last email (6):');
      expect(email.text).toMatch(/order\.picked e-2 {2}2 attempt\(s\) {2}HTTP 503/);
      expect(email.text).toContain('… and 4 more, listed in the logs.');
    });
  });
});
