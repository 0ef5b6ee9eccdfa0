import { describe, expect, it } from 'vitest';
import { toPublicWebhook } from './public-view';
import { testWebhook } from './test-webhook';

describe('the public view of a webhook', () => {
  const rotated = testWebhook({
    auth: { type: 'basic', username: 'svc', password: 'p4ss' },
    previousSigningSecrets: [
      { secret: 'whsec_old', expiresAt: new Date(5_000) },
      { secret: 'whsec_older', expiresAt: new Date(1_000) },
    ],
  });

  it('masks the password and leaves out every signing secret', () => {
    const view = JSON.stringify(toPublicWebhook(rotated, 2_000));
    for (const secret of ['p4ss', rotated.signingSecret, 'whsec_old', 'whsec_older']) {
      expect(view).not.toContain(secret);
    }
    expect(toPublicWebhook(rotated, 2_000).auth).toEqual({
      type: 'basic',
      username: 'svc',
      password: '********',
    });
  });

  it('says until when a rotated-out secret still signs', () => {
    expect(toPublicWebhook(rotated, 2_000).previousSecretValidUntil).toEqual(new Date(5_000));
    expect(toPublicWebhook(rotated, 6_000).previousSecretValidUntil).toBeNull();
  });
});
