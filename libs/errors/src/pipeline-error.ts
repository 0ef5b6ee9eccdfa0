/**
 * The base of every error the pipeline raises on purpose; its class says what happens next. A
 * TransientError may succeed later (a timeout, a 503, the registry down), so the consumer retries; an
 * InvalidInputError never will (bad input), so the record goes to the invalid topic at once.
 */
export abstract class PipelineError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that can never be processed: a malformed record, an unknown event type, a bad field. */
export class InvalidInputError extends PipelineError {
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
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
