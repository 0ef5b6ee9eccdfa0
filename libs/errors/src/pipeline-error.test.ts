import { describe, expect, it } from 'vitest';
import { InvalidInputError, PipelineError, TransientError } from './pipeline-error';

describe('the pipeline errors', () => {
  it('name invalid input by its class, code and field', () => {
    const error = new InvalidInputError('payload-not-json', 'payload is not JSON', 'payload');
    expect(error).toBeInstanceOf(PipelineError);
    expect(error).toMatchObject({ name: 'InvalidInputError', code: 'payload-not-json', field: 'payload' });
  });

  it('name a transient failure by its class and code, keeping the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new TransientError('registry-unavailable', 'registry did not answer', { cause });
    expect(error).toMatchObject({ name: 'TransientError', code: 'registry-unavailable', cause });
    expect(error).not.toBeInstanceOf(InvalidInputError);
  });
});
