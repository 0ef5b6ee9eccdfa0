import { describe, expect, it } from 'vitest';
import { classifyFailure } from './http-client';

const failure = (code: string, message = 'failed') =>
  classifyFailure(Object.assign(new Error(message), { code }));

describe('classifyFailure', () => {
  it('names timeouts, refused connections, DNS and TLS failures', () => {
    expect(failure('UND_ERR_HEADERS_TIMEOUT').kind).toBe('timeout');
    expect(
      classifyFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError')).kind,
    ).toBe('timeout');
    expect(failure('ECONNREFUSED')).toEqual({ kind: 'connect', error: 'connection refused' });
    expect(failure('ENOTFOUND').kind).toBe('dns');
    expect(failure('EAI_AGAIN').kind).toBe('dns');
    expect(failure('CERT_HAS_EXPIRED').kind).toBe('tls');
    expect(failure('ERR_TLS_CERT_ALTNAME_INVALID').kind).toBe('tls');
  });

  it('looks through the wrapper undici puts around socket errors', () => {
    const wrapped = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyFailure(wrapped)).toEqual({ kind: 'connect', error: 'connection refused' });
  });

  it('calls anything else a network failure and keeps its code', () => {
    expect(failure('ECONNRESET').kind).toBe('network');
    expect(failure('EWHATEVER', 'odd').error).toBe('EWHATEVER: odd');
  });
});
