import { describe, expect, it } from 'vitest';
import {
  bodyExcerpt,
  excerptBytes,
  headerList,
  maskHeader,
  maskUrl,
  requestExcerpt,
} from './attempt-exchange';

describe('maskHeader', () => {
  it('keeps the scheme of an Authorization header and masks its credentials', () => {
    expect(maskHeader('Authorization', 'Basic dXNlcjpwYXNz')).toBe('Basic [masked]');
    expect(maskHeader('proxy-authorization', 'opaque')).toBe('[masked]');
  });

  it('keeps only the version of each signature', () => {
    expect(maskHeader('webhook-signature', 'v1,abc= v1,def=')).toBe('v1,[masked] v1,[masked]');
  });

  it("masks the fixed token and an operator's header whose name says it holds a credential", () => {
    expect(maskHeader('X-Auth-Token', 's3cret')).toBe('[masked]');
    expect(maskHeader('X-Api-Key', 'k')).toBe('[masked]');
    expect(maskHeader('Set-Cookie', 'session=1')).toBe('[masked]');
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

  it('bounds how many headers and how much of each value are kept', () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`x-h${i}`, 'v'.repeat(5000)]));
    const list = headerList(many);
    expect(list).toHaveLength(64);
    expect(list[0]?.value).toHaveLength(1025);
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

describe('maskUrl', () => {
  it('masks query parameters named like credentials and keeps the rest', () => {
    expect(maskUrl('https://erp.example/in?access_token=abc&site=AMS&apiKey=k')).toBe(
      'https://erp.example/in?access_token=[masked]&site=AMS&apiKey=[masked]',
    );
    expect(maskUrl('https://erp.example/in')).toBe('https://erp.example/in');
  });
});

describe('requestExcerpt', () => {
  it('shows the URL, the headers with credentials masked, and the body', () => {
    const excerpt = requestExcerpt({
      url: 'https://erp.example/hooks',
      headers: { 'X-Auth-Token': 'tok', 'Content-Type': 'application/json', 'webhook-signature': 'v1,sig' },
      body: '{"eventId":"e1"}',
    });
    expect(excerpt).toEqual({
      method: 'POST',
      url: 'https://erp.example/hooks',
      headers: [
        { name: 'X-Auth-Token', value: '[masked]' },
        { name: 'Content-Type', value: 'application/json' },
        { name: 'webhook-signature', value: 'v1,[masked]' },
      ],
      body: { text: '{"eventId":"e1"}', bytes: 16, truncated: false },
    });
  });
});
