import type { LogItem } from './attempt-documents';

/**
 * A Logs row as a merge handles it: what ordering, de-duplicating and cutting it need, and its JSON as
 * it is packed. Each row is turned into text once, when it is logged, so a merge packs the rows it keeps
 * without parsing or stringifying them again.
 */
export interface RowText {
  startedAt: number;
  id: string;
  deliveryId: string;
  json: string;
}

export function rowText(item: LogItem): RowText {
  return {
    startedAt: item.startedAt.getTime(),
    id: item.id,
    deliveryId: item.deliveryId,
    json: JSON.stringify(item),
  };
}

/** The Logs' one order, of rows as items or as text: the newest start first, then the greater id. */
export function newerFirst(aStartedAt: number, aId: string, bStartedAt: number, bId: string): number {
  return bStartedAt - aStartedAt || (bId < aId ? -1 : bId > aId ? 1 : 0);
}

export const newestTextFirst = (a: RowText, b: RowText) => newerFirst(a.startedAt, a.id, b.startedAt, b.id);

/** The rows as one JSON array, as `JSON.stringify` of the items would write it. */
export const rowsJson = (rows: readonly RowText[]) => `[${rows.map((row) => row.json).join(',')}]`;

/** A webhook's newest rows and failures, as a writer last merged them. */
export interface KeptTexts {
  rows: RowText[];
  failures: RowText[];
}

const bytesOf = (kept: KeptTexts) =>
  [...kept.rows, ...kept.failures].reduce((sum, row) => sum + row.json.length, 0);

/**
 * The rows a writer last merged, as text, for the webhooks it merged most recently, within a budget of
 * bytes. A webhook left out is merged from the packed rows the writer remembers, or read back.
 */
export class KeptTextsCache {
  private readonly kept = new Map<string, { texts: KeptTexts; bytes: number }>();
  private bytes = 0;

  constructor(private readonly budgetBytes: number) {}

  get(webhookId: string): KeptTexts | undefined {
    return this.kept.get(webhookId)?.texts;
  }

  /** Keeps a webhook's rows as its latest (or forgets them, with none), leaving out the least recent past the budget. */
  set(webhookId: string, texts: KeptTexts | undefined) {
    const previous = this.kept.get(webhookId);
    if (previous) {
      this.bytes -= previous.bytes;
      this.kept.delete(webhookId);
    }
    if (!texts) return;
    const bytes = bytesOf(texts);
    this.kept.set(webhookId, { texts, bytes });
    this.bytes += bytes;
    for (const [oldest, { bytes: oldestBytes }] of this.kept) {
      if (this.bytes <= this.budgetBytes) break;
      this.kept.delete(oldest);
      this.bytes -= oldestBytes;
    }
  }

  get size(): number {
    return this.kept.size;
  }
}
