interface NestedError {
  message?: string;
  canRetry?: boolean;
  apiId?: string;
  errors?: unknown[];
  cause?: unknown;
}

/** What a client error wraps: a per-broker aggregate's errors, and its cause. */
const childrenOf = (nested: NestedError): unknown[] => [
  ...(nested.errors ?? []),
  ...(nested.cause ? [nested.cause] : []),
];

/**
 * The innermost reasons of a client error, e.g. "MESSAGE_TOO_LARGE: The request included a message
 * larger than ...". @platformatic/kafka wraps what the broker said in a request error inside a
 * per-broker aggregate; the outer messages ("Producing messages failed.") say nothing of why.
 */
export function kafkaErrorReasons(error: unknown): string[] {
  const reasons = new Set<string>();
  const visit = (value: unknown, depth: number) => {
    if (!value || typeof value !== 'object' || depth > 8) return;
    const nested = value as NestedError;
    const children = childrenOf(nested);
    if (children.length === 0) {
      const text = nested.message ?? String(value);
      reasons.add(nested.apiId ? `${nested.apiId}: ${text}` : text);
    }
    for (const child of children) visit(child, depth + 1);
  };
  visit(error, 0);
  return reasons.size > 0 ? [...reasons] : [error instanceof Error ? error.message : String(error)];
}

/** A client error as one line: its own message, then the reasons beneath it. */
export function kafkaErrorMessage(error: unknown): string {
  const outer = error instanceof Error ? error.message.replace(/\.$/, '') : String(error);
  const reasons = kafkaErrorReasons(error).filter((reason) => reason !== outer);
  return reasons.length > 0 ? `${outer}: ${reasons.join('; ')}` : outer;
}

/**
 * Whether a client error can pass if the request is made again: as @platformatic/kafka judges it, true
 * unless some error in it says it cannot (a record too large, a denied ACL, a closed client).
 */
export function isRetriableKafkaError(error: unknown): boolean {
  const visit = (value: unknown, depth: number): boolean => {
    if (!value || typeof value !== 'object' || depth > 8) return true;
    const nested = value as NestedError;
    if (nested.canRetry === false) return false;
    return childrenOf(nested).every((child) => visit(child, depth + 1));
  };
  return visit(error, 0);
}
