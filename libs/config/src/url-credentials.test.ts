import { describe, expect, it } from 'vitest';
import { redactCredentials, splitUrlCredentials } from './url-credentials';

describe('redactCredentials', () => {
  it.each([
    [
      'mongodb://wms:s3cret@db-1:27017,db-2:27017/app?replicaSet=rs0',
      'mongodb://wms:***@db-1:27017,db-2:27017/app?replicaSet=rs0',
    ],
    [
      '{"endpoints":{"url":"https://reg:p%40ss@registry.example/apis"}}',
      '{"endpoints":{"url":"https://reg:***@registry.example/apis"}}',
    ],
    ['https://ghp_abcdef@host.example/x', 'https://***@host.example/x'],
    [
      'mongodb://h/?tls=true&tlsCertificateKeyFilePassword=pw1&w=1',
      'mongodb://h/?tls=true&tlsCertificateKeyFilePassword=***&w=1',
    ],
    ['http://h/cb?token=abc', 'http://h/cb?token=***'],
    [
      'https://erp.example/in?site=AMS&api_key=k1&sessionId=s',
      'https://erp.example/in?site=AMS&api_key=***&sessionId=***',
    ],
  ])('masks %s', (text, masked) => {
    expect(redactCredentials(text)).toBe(masked);
  });

  it('leaves text without credentials as it is', () => {
    for (const text of ['mongodb://127.0.0.1:27017', 'ops@example.com wrote a=1', 'plain']) {
      expect(redactCredentials(text)).toBe(text);
    }
  });
});

describe('splitUrlCredentials', () => {
  it('takes the user-info out as basic credentials, decoded', () => {
    expect(splitUrlCredentials('http://reg:p%40ss@127.0.0.1:8081/apis/ccompat/v7')).toEqual({
      url: 'http://127.0.0.1:8081/apis/ccompat/v7',
      credentials: { username: 'reg', password: 'p@ss' },
    });
  });

  it('returns a URL without credentials unchanged', () => {
    expect(splitUrlCredentials('http://127.0.0.1:8081/apis')).toEqual({ url: 'http://127.0.0.1:8081/apis' });
  });
});
