import { describe, expect, it } from 'vitest';
import { parseWebhookSettings } from './webhook-input';

const valid = {
  name: 'Picks to ERP',
  eventType: 'order.picked',
  kind: 'regular',
  goodsOwnerIds: [42],
  url: 'https://erp.example/hooks/picks',
  email: 'ops@example.com',
};

function problemsOf(body: unknown) {
  const result = parseWebhookSettings(body);
  return result.ok ? [] : result.problems;
}

describe('parseWebhookSettings', () => {
  it('fills the defaults: no auth, no headers or filters, one-day retries, enabled, 10 s timeout, one at a time, no rate limit', () => {
    expect(parseWebhookSettings(valid)).toEqual({
      ok: true,
      value: {
        ...valid,
        allGoodsOwners: false,
        auth: { type: 'none' },
        headers: {},
        filters: {},
        retryPolicy: 'one-day',
        enabled: true,
        timeoutMs: 10000,
        maxConcurrency: 1,
        maxPerSecond: null,
      },
    });
  });

  it('names throughput limits out of range', () => {
    expect(problemsOf({ ...valid, maxConcurrency: 0, maxPerSecond: 0 })).toEqual([
      { field: 'maxConcurrency', message: 'must be at least 1' },
      { field: 'maxPerSecond', message: 'must be at least 0.1 (one delivery every 10 s)' },
    ]);
    expect(problemsOf({ ...valid, maxConcurrency: 2.5 })).toEqual([
      { field: 'maxConcurrency', message: 'must be a whole number' },
    ]);
  });

  it('reports every problem at once, each naming its field', () => {
    const fields = problemsOf({ ...valid, url: 'mailto:x@y.z', email: 'nope', timeoutMs: 50_000 }).map(
      (problem) => problem.field,
    );
    expect(fields.sort()).toEqual(['email', 'timeoutMs', 'url']);
  });

  it('refuses a URL with credentials in it', () => {
    expect(problemsOf({ ...valid, url: 'https://user:pw@erp.example/x' })).toEqual([
      { field: 'url', message: 'may not contain credentials; use auth instead' },
    ]);
  });

  it('lists the known event types when the type is unknown', () => {
    const [problem] = problemsOf({ ...valid, eventType: 'order.lost' });
    expect(problem?.field).toBe('eventType');
    expect(problem?.message).toContain('order.picked');
  });

  it('names the filterable attributes when a filter is not one of them', () => {
    const [problem] = problemsOf({ ...valid, eventType: 'article.updated', filters: { orderType: ['B2B'] } });
    expect(problem).toEqual({
      field: 'filters.orderType',
      message: 'article.updated cannot be filtered on "orderType"; filterable attributes: warehouseId',
    });
  });

  it('accepts filters on declared attributes', () => {
    expect(
      parseWebhookSettings({ ...valid, filters: { transporterCode: ['DHL'], orderType: ['B2B', 'B2C'] } }).ok,
    ).toBe(true);
  });

  describe('goods-owner scope', () => {
    it('takes an automation webhook for a list of owners, or for all', () => {
      expect(parseWebhookSettings({ ...valid, kind: 'automation', goodsOwnerIds: [1, 2, 3] }).ok).toBe(true);
      expect(
        parseWebhookSettings({ ...valid, kind: 'automation', goodsOwnerIds: [], allGoodsOwners: true }).ok,
      ).toBe(true);
    });

    it('refuses an all-owners webhook that also lists owners, and duplicate owners', () => {
      expect(
        problemsOf({ ...valid, kind: 'automation', goodsOwnerIds: [1], allGoodsOwners: true })[0]?.field,
      ).toBe('goodsOwnerIds');
      expect(problemsOf({ ...valid, kind: 'automation', goodsOwnerIds: [1, 1] })[0]?.message).toBe(
        'may not list a goods owner twice',
      );
    });
  });

  describe('headers', () => {
    it('treats reserved names case-insensitively', () => {
      expect(problemsOf({ ...valid, headers: { HOST: 'x' } })[0]?.field).toBe('headers.HOST');
      expect(problemsOf({ ...valid, headers: { 'Webhook-Signature': 'x' } })[0]?.field).toBe(
        'headers.Webhook-Signature',
      );
    });

    it('refuses the same name twice in different case', () => {
      expect(problemsOf({ ...valid, headers: { 'X-A': '1', 'x-a': '2' } })[0]?.message).toContain('twice');
    });

    it('counts the auth header in the total, so a huge token cannot pass it', () => {
      const problems = problemsOf({
        ...valid,
        auth: { type: 'token', token: 't'.repeat(4000) },
        headers: { 'X-A': 'a'.repeat(4000), 'X-B': 'b'.repeat(200) },
      });
      expect(problems).toEqual([{ field: 'headers', message: expect.stringContaining('these total 8230') }]);
    });

    it('refuses control characters in a token', () => {
      expect(problemsOf({ ...valid, auth: { type: 'token', token: 'a\u0000b' } })[0]?.field).toBe(
        'auth.token',
      );
    });
  });

  describe('when replacing a webhook', () => {
    it('keeps the stored password when the body leaves it out', () => {
      const result = parseWebhookSettings(
        { ...valid, auth: { type: 'basic', username: 'u' } },
        { type: 'basic', username: 'old', password: 'kept' },
      );
      expect(result.ok && result.value.auth).toEqual({ type: 'basic', username: 'u', password: 'kept' });
    });

    it('does not carry a token over into basic auth', () => {
      const result = parseWebhookSettings(
        { ...valid, auth: { type: 'basic', username: 'u' } },
        { type: 'token', token: 't' },
      );
      expect(result.ok).toBe(false);
    });
  });
});
