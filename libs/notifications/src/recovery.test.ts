import { describe, expect, it } from 'vitest';
import { composeRecoveryEmail } from './failure-email';
import type { NoticeState } from './notice-store';
import { failingVerdict, recoveredAt } from './notify';

const emailedAt = new Date('2026-12-02T10:00:00Z');
const owing: NoticeState = {
  webhookId: 'wh-1',
  lastSentAt: emailedAt,
  pending: [],
  omitted: 0,
  owesRecovery: true,
  failingSince: null,
  disabledNotice: null,
  revision: 3,
};
const succeededAt = (iso: string) => ({ lastOutcome: 'succeeded' as const, lastAttemptAt: new Date(iso) });

describe('recoveredAt', () => {
  it('is the success after the last failure email', () => {
    expect(recoveredAt(owing, succeededAt('2026-12-02T10:05:00Z'))).toEqual(new Date('2026-12-02T10:05:00Z'));
  });

  it('is nothing while the last attempt failed, or succeeded before the email', () => {
    expect(
      recoveredAt(owing, { lastOutcome: 'failed', lastAttemptAt: new Date('2026-12-02T10:05:00Z') }),
    ).toBeUndefined();
    expect(recoveredAt(owing, succeededAt('2026-12-02T09:59:00Z'))).toBeUndefined();
    expect(recoveredAt(owing, undefined)).toBeUndefined();
  });

  it('is nothing while failures wait for their email, or when none was owed', () => {
    const later = succeededAt('2026-12-02T10:05:00Z');
    expect(recoveredAt({ ...owing, omitted: 2 }, later)).toBeUndefined();
    expect(recoveredAt({ ...owing, owesRecovery: false }, later)).toBeUndefined();
  });
});

describe('composeRecoveryEmail', () => {
  it('names the webhook, its URL, when it delivered, and where to resend what failed', () => {
    const email = composeRecoveryEmail(
      { id: 'wh-1', name: 'Acme picks', url: 'https://acme.example/hook', email: 'ops@acme.example' },
      new Date('2026-12-02T10:05:00Z'),
      { logsUrl: 'http://ui.example/#/webhooks/wh-1/logs' },
    );
    expect(email.to).toBe('ops@acme.example');
    expect(email.subject).toBe('Webhook "Acme picks" delivers again');
    expect(email.text).toContain('at 2026-12-02T10:05:00Z, succeeded');
    expect(email.text).toContain('URL:         https://acme.example/hook');
    expect(email.text).toContain('Resend them from the logs: http://ui.example/#/webhooks/wh-1/logs');
  });
});

describe('failingVerdict', () => {
  const hour = 3_600_000;
  const since = new Date('2026-12-02T10:30:00Z');
  const now = since.getTime() + 72 * hour;
  const hours = (...counts: Array<[string, number, number]>) =>
    counts.map(([iso, attempts, failures]) => ({ hour: new Date(iso), attempts, failures }));
  const failingOnly = {
    lastOutcome: 'failed' as const,
    lastAttemptAt: new Date(now - 60_000),
    hourly: hours(['2026-12-05T09:00:00Z', 4, 4], ['2026-12-05T10:00:00Z', 2, 2]),
  };

  it('disables once every attempt has failed for the whole time, the last one included', () => {
    expect(failingVerdict({ failingSince: since }, failingOnly, now, 72 * hour)).toBe('disable');
  });

  it('waits while the time is not up, and never when the time is 0', () => {
    expect(failingVerdict({ failingSince: since }, failingOnly, now - 60_000, 72 * hour)).toBe('wait');
    expect(failingVerdict({ failingSince: since }, failingOnly, now, 0)).toBe('wait');
  });

  it('starts over once any attempt since succeeded, even if the last one failed', () => {
    const flapping = {
      ...failingOnly,
      hourly: hours(['2026-12-05T09:00:00Z', 4, 3], ['2026-12-05T10:00:00Z', 2, 2]),
    };
    expect(failingVerdict({ failingSince: since }, flapping, now, 72 * hour)).toBe('recovered');
  });

  it('waits without evidence of a recent failing attempt', () => {
    expect(failingVerdict({ failingSince: since }, undefined, now, 72 * hour)).toBe('wait');
  });
});
