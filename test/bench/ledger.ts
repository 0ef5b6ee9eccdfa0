export interface LedgerInput {
  /** Every delivery id the produced events should cause: events × their matching webhooks. */
  expected: ReadonlySet<string>;
  /** Ids the receiver answered with 2xx. */
  delivered: ReadonlySet<string>;
  /** Ids on webhooks.dead. */
  deadLettered: ReadonlySet<string>;
  /** Ids with a logged attempt that scheduled another (delivery_attempts, final: false). */
  retrying: ReadonlySet<string>;
  /** Requests for an id the receiver had already answered with 2xx. */
  duplicateRequests: number;
}

export interface Ledger {
  expected: number;
  delivered: number;
  failedFinal: number;
  stillInRetry: number;
  /** Expected ids the receiver never saw and that are not dead-lettered: lost, or not sent yet. */
  missing: number;
  /** Ids that arrived but no produced event should cause. */
  unexpected: number;
  duplicates: number;
  balanced: boolean;
}

/**
 * produced events × matches = delivered + failed-final + still-in-retry, exactly. An id neither
 * delivered nor dead-lettered whose last logged attempt scheduled another is in retry; an expected id
 * found nowhere is missing, and any missing or unexpected id makes the run invalid.
 */
export function balanceLedger(input: LedgerInput): Ledger {
  let delivered = 0;
  let failedFinal = 0;
  let stillInRetry = 0;
  let missing = 0;
  for (const id of input.expected) {
    if (input.delivered.has(id)) delivered += 1;
    else if (input.deadLettered.has(id)) failedFinal += 1;
    else if (input.retrying.has(id)) stillInRetry += 1;
    else missing += 1;
  }
  let unexpected = 0;
  for (const id of new Set([...input.delivered, ...input.deadLettered, ...input.retrying])) {
    if (!input.expected.has(id)) unexpected += 1;
  }
  return {
    expected: input.expected.size,
    delivered,
    failedFinal,
    stillInRetry,
    missing,
    unexpected,
    duplicates: input.duplicateRequests,
    balanced:
      missing === 0 && unexpected === 0 && delivered + failedFinal + stillInRetry === input.expected.size,
  };
}
