import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { toItem, toStored } from './attempt-documents';
import { type KeptTexts, KeptTextsCache, newestTextFirst, rowsJson, rowText } from './row-texts';
import { sampleAttempt } from './sample-attempt.fixture';

const item = (second: number, deliveryId = `d-${second}`) =>
  toItem({
    ...toStored(sampleAttempt({ deliveryId, startedAt: new Date(Date.UTC(2026, 11, 4, 5, 0, second)) })),
    _id: new ObjectId(),
  });

/** Rows whose text takes about `bytes`. */
const textsOf = (bytes: number): KeptTexts => ({
  rows: [{ startedAt: 0, id: 'x', deliveryId: 'x', json: 'x'.repeat(bytes) }],
  failures: [],
});

describe('rows as text', () => {
  it('packs rows into the JSON that stringifying the items writes', () => {
    const items = [item(3), item(2), item(1)];
    expect(rowsJson(items.map(rowText))).toBe(JSON.stringify(items));
  });

  it('orders rows newest first, by start and then by id, as the log pages', () => {
    const row = (startedAt: number, id: string) => ({ startedAt, id, deliveryId: id, json: '{}' });
    const sorted = [row(1, 'a'), row(2, 'a'), row(2, 'b')].sort(newestTextFirst);
    expect(sorted.map(({ startedAt, id }) => `${startedAt}${id}`)).toEqual(['2b', '2a', '1a']);
  });
});

describe('when the kept texts outgrow their budget', () => {
  it('leaves out the webhooks merged least recently', () => {
    const cache = new KeptTextsCache(250);
    cache.set('wh-1', textsOf(100));
    cache.set('wh-2', textsOf(100));
    cache.set('wh-1', textsOf(100));
    cache.set('wh-3', textsOf(100));
    expect([cache.get('wh-1'), cache.get('wh-2'), cache.get('wh-3')].map(Boolean)).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('keeps none of a webhook whose rows alone are over it', () => {
    const cache = new KeptTextsCache(250);
    cache.set('wh-big', textsOf(300));
    expect(cache.size).toBe(0);
  });

  it('forgets a webhook set to nothing, and counts its bytes no more', () => {
    const cache = new KeptTextsCache(250);
    cache.set('wh-1', textsOf(200));
    cache.set('wh-1', undefined);
    cache.set('wh-2', textsOf(200));
    expect([cache.get('wh-1'), cache.get('wh-2')].map(Boolean)).toEqual([false, true]);
  });
});
