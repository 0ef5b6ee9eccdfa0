import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kafkaSecurityFromEnv } from './kafka-security';

const directory = mkdtempSync(join(tmpdir(), 'kafka-security-'));
const file = (name: string, content: string) => {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
};

describe('kafkaSecurityFromEnv', () => {
  it('is nothing for a plaintext cluster', () => {
    expect(kafkaSecurityFromEnv({})).toEqual({});
  });

  it('trusts the CA file and logs in with SCRAM, the password from a file', () => {
    const security = kafkaSecurityFromEnv({
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SSL_CA_FILE: file('ca.pem', 'PEM'),
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
      KAFKA_SASL_USERNAME: 'sender',
      KAFKA_SASL_PASSWORD_FILE: file('password', 's3cret\n'),
    });
    expect(security).toEqual({
      tls: { ca: 'PEM' },
      sasl: { mechanism: 'SCRAM-SHA-256', username: 'sender', password: 's3cret' },
    });
  });

  it('reads the OAUTHBEARER token at each login, so a renewed file is used', async () => {
    const tokenFile = file('token', 'first\n');
    const security = kafkaSecurityFromEnv({
      KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
      KAFKA_SASL_MECHANISM: 'OAUTHBEARER',
      KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: tokenFile,
    });
    const token = security.sasl?.token as () => string;
    expect(token()).toBe('first');
    writeFileSync(tokenFile, 'renewed\n');
    expect(token()).toBe('renewed');
  });

  it.each([
    [{ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' }, 'KAFKA_SASL_MECHANISM: is required with SASL_SSL'],
    [
      { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'PLAIN' },
      'KAFKA_SASL_USERNAME: is required with PLAIN',
    ],
    [
      { KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512' },
      'KAFKA_SASL_MECHANISM: is set, but KAFKA_SECURITY_PROTOCOL is PLAINTEXT',
    ],
    [
      { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: '/no/such/ca.pem' },
      'KAFKA_SSL_CA_FILE: cannot be read',
    ],
    [
      { KAFKA_SECURITY_PROTOCOL: 'TLS' },
      'KAFKA_SECURITY_PROTOCOL: must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL',
    ],
    [
      {
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'sender',
        KAFKA_SASL_PASSWORD_FILE: file('empty-password', '\n'),
      },
      'KAFKA_SASL_PASSWORD_FILE: is empty',
    ],
    [
      { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT_FILE: file('cert.pem', 'C') },
      'KAFKA_SSL_KEY_FILE: goes with KAFKA_SSL_CERT_FILE',
    ],
  ])('fails fast on %j, naming the variable', (env, message) => {
    expect(() => kafkaSecurityFromEnv(env)).toThrow(message);
  });
});
