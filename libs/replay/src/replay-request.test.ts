import { describe, expect, it } from 'vitest';
import { parseReplayRequest } from './replay-request';

const now = Date.parse('2026-12-02T12:00:00Z');

describe('a replay request', () => {
  it('takes a window, a source and a dry run', () => {
    expect(
      parseReplayRequest(
        { from: '2026-12-01T08:00:00Z', to: '2026-12-01T10:30:00+01:00', source: 'log', dryRun: true },
        now,
      ),
    ).toEqual({
      ok: true,
      request: {
        from: new Date('2026-12-01T08:00:00Z'),
        to: new Date('2026-12-01T09:30:00Z'),
        source: 'log',
        dryRun: true,
      },
    });
  });

  it('is not a dry run unless it says so', () => {
    const parsed = parseReplayRequest(
      { from: '2026-12-01T08:00:00Z', to: '2026-12-01T09:00:00Z', source: 'failed' },
      now,
    );
    expect(parsed.ok && parsed.request.dryRun).toBe(false);
  });

  it('reads an end still to come as now', () => {
    const parsed = parseReplayRequest(
      { from: '2026-12-02T11:00:00Z', to: '2026-12-03T00:00:00Z', source: 'log' },
      now,
    );
    expect(parsed.ok && parsed.request.to).toEqual(new Date(now));
  });

  it('names every malformed field at once', () => {
    expect(parseReplayRequest({ from: 'yesterday', source: 'all', since: 1 }, now)).toMatchObject({
      ok: false,
      problems: expect.arrayContaining([
        expect.objectContaining({ field: 'from' }),
        expect.objectContaining({ field: 'to' }),
        expect.objectContaining({ field: 'source' }),
        { field: 'since', message: 'is not a replay setting' },
      ]),
    });
  });

  it('refuses a time without a zone, which would be read in the server’s', () => {
    expect(
      parseReplayRequest({ from: '2026-12-01T08:00:00', to: '2026-12-01T09:00:00Z', source: 'log' }, now),
    ).toMatchObject({ ok: false, problems: [expect.objectContaining({ field: 'from' })] });
  });

  it('refuses a window that ends before it starts', () => {
    expect(
      parseReplayRequest({ from: '2026-12-01T09:00:00Z', to: '2026-12-01T08:00:00Z', source: 'log' }, now),
    ).toEqual({ ok: false, problems: [{ field: 'to', message: 'must be after `from`' }] });
  });

  it('refuses a window that starts in the future', () => {
    expect(
      parseReplayRequest({ from: '2026-12-03T09:00:00Z', to: '2026-12-04T08:00:00Z', source: 'log' }, now),
    ).toEqual({ ok: false, problems: [{ field: 'from', message: 'must not be in the future' }] });
  });

  it('refuses a missing body, naming what it needs', () => {
    const parsed = parseReplayRequest(undefined, now);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.problems.map((problem) => problem.field).sort()).toEqual(['from', 'source', 'to']);
  });
});
