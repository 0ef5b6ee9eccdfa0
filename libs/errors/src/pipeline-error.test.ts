import { describe, expect, it } from 'vitest';
import { InvalidInputError, isRetriable, TransientError } from './pipeline-error';

describe('the retriable flag', () => {
  it('is false for invalid input, which no retry can fix', () => {
    const error = new InvalidInputError('payload-not-json', 'payload is not JSON', 'payload');
    expect(isRetriable(error)).toBe(false);
    expect(error).toMatchObject({ name: 'InvalidInputError', code: 'payload-not-json', field: 'payload' });
  });

  it('is true for a transient failure', () => {
    expect(isRetriable(new TransientError('registry-unavailable', 'registry did not answer'))).toBe(true);
  });

  it('treats an unclassified error as retriable, so work is never dropped on an unknown failure', () => {
    expect(isRetriable(new Error('boom'))).toBe(true);
  });
});
