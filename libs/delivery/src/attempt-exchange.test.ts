import { describe, expect, it } from 'vitest';
import { bodyExcerpt, excerptBytes, headerList, maskHeader, requestExcerpt } from './attempt-exchange';

describe('maskHeader', () => {
  it('keeps the scheme of an Authorization header and masks its credentials', () => {
    expect(maskHeader('Authorization', 'Basic dXNlcjpwYXNz')).toBe('Basic ***');
    expect(maskHeader('proxy-authorization', 'opaque')).toBe('***');
  });

  it('keeps only the version of each signature', () => {
    expect(maskHeader('webhook-signature', 'v1,abc= v1,def=')).toBe('v1,*** v1,***');
  });

  it("masks the fixed token and an operator's header whose name says it holds a credential", () => {
    expect(maskHeader('X-Auth-Token', 's3cret')).toBe('***');
    expect(maskHeader('X-Api-Key', 'k')).toBe('***');
    expect(maskHeader('Set-Cookie', 'session=1')).toBe('***');
  });

  it('shows every other header as sent', () => {
    expect(maskHeader('X-Warehouse', 'AMS-1')).toBe('AMS-1');
    expect(maskHeader('webhook-id', 'msg_1')).toBe('msg_1');
  });
});

describe('headerList', () => {
  it('lists a repeated response header once per value', () => {
    expect(headerList({ vary: ['accept', 'origin'], 'content-type': 'text/plain' })).toEqual([
      { name: 'vary', value: 'accept' },
      { name: 'vary', value: 'origin' },
      { name: 'content-type', value: 'text/plain' },
    ]);
  });

  it('keeps at most 1 KB of a value and 4 KB of headers in all, saying how many were left out', () => {
    const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`x-h${i}`, 'v'.repeat(5000)]));
    const list = headerList(many);
    expect(list).toHaveLength(4);
    expect(list[0]?.value).toHaveLength(1025);
    expect(list[3]).toEqual({ name: '…', value: '7 more headers not kept' });
  });
});

describe('bodyExcerpt', () => {
  it('keeps a short body whole', () => {
    expect(bodyExcerpt('{"ok":false}')).toEqual({ text: '{"ok":false}', bytes: 12, truncated: false });
  });

  it('keeps the first 4 KB of a long body and says how long it was', () => {
    const excerpt = bodyExcerpt('x'.repeat(10_000));
    expect(excerpt.text).toHaveLength(excerptBytes);
    expect(excerpt).toMatchObject({ bytes: 10_000, truncated: true });
  });
});

describe('requestExcerpt', () => {
  it('shows the URL and the headers with credentials masked, and the body', () => {
    const excerpt = requestExcerpt({
      url: 'https://erp.example/hooks?site=AMS&access_token=abc',
      headers: { 'X-Auth-Token': 'tok', 'Content-Type': 'application/json', 'webhook-signature': 'v1,sig' },
      body: '{"eventId":"e1"}',
    });
    expect(excerpt).toEqual({
      method: 'POST',
      url: 'https://erp.example/hooks?site=AMS&access_token=***',
      headers: [
        { name: 'X-Auth-Token', value: '***' },
        { name: 'Content-Type', value: 'application/json' },
        { name: 'webhook-signature', value: 'v1,***' },
      ],
      body: { text: '{"eventId":"e1"}', bytes: 16, truncated: false },
    });
  });
});
