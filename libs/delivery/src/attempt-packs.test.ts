import { describe, expect, it } from 'vitest';
import { toStored } from './attempt-documents';
import { attemptsIn, isPack, isPackable, packAttempts } from './attempt-packs';
import { newDocumentId, packIdOf } from './log-document-ids';
import { sampleAttempt } from './sample-attempt.fixture';

const startedAt = new Date(Date.UTC(2026, 11, 3, 9));
const successes = (count: number) =>
  Array.from({ length: count }, (_, index) =>
    toStored(
      sampleAttempt({
        webhookId: 'wh-p',
        deliveryId: `d-${index}`,
        attempt: 2,
        dueAt: new Date(startedAt.getTime() - 60_000),
        startedAt: new Date(startedAt.getTime() + index),
      }),
    ),
  );

describe('packs of successes', () => {
  it('read back as the attempts written, each under its own id', () => {
    const attempts = successes(3);
    const [pack, ...more] = packAttempts('wh-p', attempts);
    expect(more).toEqual([]);
    expect(pack && isPack(pack)).toBe(true);
    expect(pack && attemptsIn(pack)).toEqual(attempts);
    expect(new Set(attempts.map((attempt) => attempt._id.toHexString())).size).toBe(3);
  });

  it('list each attempt’s delivery and span their starts', () => {
    const [pack] = packAttempts('wh-p', successes(3));
    expect(pack).toMatchObject({
      webhookId: 'wh-p',
      outcome: 'succeeded',
      deliveryIds: ['d-0', 'd-1', 'd-2'],
      firstStartedAt: startedAt,
      startedAt: new Date(startedAt.getTime() + 2),
    });
  });

  it('give each attempt an id that names its pack', () => {
    const attempts = successes(2);
    const [pack] = packAttempts('wh-p', attempts);
    for (const attempt of attempts) expect(packIdOf(attempt._id)?.equals(pack?._id ?? '')).toBe(true);
    expect(pack && packIdOf(pack._id)).toBeUndefined();
  });

  it('hold at most 255 attempts, the rest in the next pack', () => {
    const attempts = successes(300);
    const packs = packAttempts('wh-p', attempts);
    expect(packs.map((pack) => pack.deliveryIds.length)).toEqual([255, 45]);
    expect(packs.flatMap(attemptsIn)).toEqual(attempts);
  });
});

describe('what is packed', () => {
  it('is a success', () => {
    expect(isPackable(sampleAttempt())).toBe(true);
    expect(isPackable(sampleAttempt({ test: true }))).toBe(true);
  });

  it('is not a failure, which keeps what an operator opens', () => {
    expect(isPackable(sampleAttempt({ outcome: 'failed', final: false }))).toBe(false);
  });
});

describe('ids of the log’s documents', () => {
  it('end in a zero byte, which an attempt of a pack fills with its place', () => {
    expect(newDocumentId().id[11]).toBe(0);
  });

  it('are all different, though more are made within a second than the sequence counts', () => {
    const ids = Array.from({ length: 70_000 }, () => newDocumentId().toHexString());
    expect(new Set(ids).size).toBe(ids.length);
  });
});
