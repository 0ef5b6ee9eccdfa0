import { describe, expect, it } from 'vitest';
import { bodyFromForm, emptyForm, formFromWebhook, problemsByField } from './form-model';
import type { PublicWebhook } from './types';

const stored: PublicWebhook = {
  id: 'w-1',
  name: 'Acme picks',
  eventType: 'order.picked',
  kind: 'automation',
  goodsOwnerIds: [1, 2],
  allGoodsOwners: false,
  url: 'https://acme.example/hooks',
  email: 'ops@acme.example',
  auth: { type: 'basic', username: 'svc' },
  headers: { 'X-Tenant': 'acme' },
  filters: { orderType: ['B2C', 'B2B'] },
  retryPolicy: 'one-day',
  enabled: true,
  timeoutMs: 5000,
  maxConcurrency: 4,
  maxPerSecond: 2.5,
  version: 3,
};

describe('the webhook form', () => {
  it('round-trips a stored webhook into the same body, leaving the masked password out', () => {
    const result = bodyFromForm(formFromWebhook(stored), ['transporterCode', 'orderType']);
    expect(result).toEqual({
      ok: true,
      body: {
        name: 'Acme picks',
        eventType: 'order.picked',
        kind: 'automation',
        goodsOwnerIds: [1, 2],
        allGoodsOwners: false,
        url: 'https://acme.example/hooks',
        email: 'ops@acme.example',
        auth: { type: 'basic', username: 'svc' },
        headers: { 'X-Tenant': 'acme' },
        filters: { orderType: ['B2C', 'B2B'] },
        retryPolicy: 'one-day',
        timeoutMs: 5000,
        maxConcurrency: 4,
        maxPerSecond: 2.5,
        enabled: true,
      },
    });
  });

  it('sends a blank rate limit as null: no limit', () => {
    const result = bodyFromForm({ ...formFromWebhook(stored), maxPerSecond: ' ' }, []);
    expect(result.ok && result.body.maxPerSecond).toBeNull();
  });

  it('sends a typed password, and drops filters on attributes the event type lacks', () => {
    const form = {
      ...formFromWebhook(stored),
      password: 'new-pass',
      filters: { orderType: 'B2C', gone: 'x' },
    };
    const result = bodyFromForm(form, ['orderType']);
    expect(result.ok && result.body.auth).toEqual({ type: 'basic', username: 'svc', password: 'new-pass' });
    expect(result.ok && result.body.filters).toEqual({ orderType: ['B2C'] });
  });

  it('names goods owners that are not numbers before sending', () => {
    expect(bodyFromForm({ ...emptyForm('order.picked'), goodsOwnerIds: '1, acme' }, [])).toEqual({
      ok: false,
      problems: [{ field: 'goodsOwnerIds', message: 'must be whole numbers, separated by commas' }],
    });
  });

  it('puts server problems next to their inputs', () => {
    expect(
      problemsByField([
        { field: 'url', message: 'is not a valid URL' },
        { field: 'auth.password', message: 'is required for basic auth' },
        { field: 'headers.X-Bad', message: 'may not contain CR or LF' },
        { field: 'filters.orderType', message: 'must list at least one value' },
        { field: 'surprise', message: 'is not a known field' },
      ]),
    ).toEqual({
      url: ['is not a valid URL'],
      password: ['is required for basic auth'],
      headers: ['headers.X-Bad: may not contain CR or LF'],
      filters: ['filters.orderType: must list at least one value'],
      form: ['surprise: is not a known field'],
    });
  });
});
