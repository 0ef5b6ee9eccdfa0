/**
 * The base of every error the pipeline raises on purpose. `retriable` decides what happens next:
 * true means the same input may succeed later (a timeout, a 503, the registry down), so it goes to the
 * retry path or the consumer retries; false means it never will (bad input), so it goes to dead letters
 * or the invalid topic at once.
 */
export abstract class PipelineError extends Error {
  abstract readonly retriable: boolean;
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that can never be processed: a malformed record, an unknown event type, a bad field. */
export class InvalidInputError extends PipelineError {
  readonly retriable = false;

  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A dependency is unavailable or slow right now; the same work should be tried again. */
export class TransientError extends PipelineError {
  readonly retriable = true;

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isRetriable(error: unknown): boolean {
  // An unexpected error (a bug, a driver error we did not classify) is retried: dropping work on an
  // unknown failure would lose it, while a retry loop shows up in lag and logs.
  return error instanceof PipelineError ? error.retriable : true;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
