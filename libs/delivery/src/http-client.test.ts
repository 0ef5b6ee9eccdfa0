import { AxiosError } from 'axios';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from './http-client';

const failure = (code: string, message = 'failed') => classifyFailure(new AxiosError(message, code));

describe('classifyFailure', () => {
  it('names timeouts, refused connections, DNS and TLS failures', () => {
    expect(failure('ECONNABORTED', 'timeout of 1000ms exceeded').kind).toBe('timeout');
    expect(failure('ERR_CANCELED').kind).toBe('timeout');
    expect(failure('ECONNREFUSED')).toEqual({ kind: 'connect', error: 'connection refused' });
    expect(failure('ENOTFOUND').kind).toBe('dns');
    expect(failure('EAI_AGAIN').kind).toBe('dns');
    expect(failure('CERT_HAS_EXPIRED').kind).toBe('tls');
    expect(failure('ERR_TLS_CERT_ALTNAME_INVALID').kind).toBe('tls');
  });

  it('calls anything else a network failure and keeps its code', () => {
    expect(failure('ECONNRESET').kind).toBe('network');
    expect(failure('EWHATEVER', 'odd').error).toBe('EWHATEVER: odd');
  });
});
