import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { booleanFlag, brokerList, httpUrl, mongoUri, port } from './env-types';
import { loadConfig } from './load-config';

const schema = z.object({
  KAFKA_BROKERS: brokerList().default(['127.0.0.1:9092']),
  SCHEMA_REGISTRY_URL: httpUrl().optional(),
  MONGODB_URI: mongoUri().optional(),
  HTTP_PORT: port().default(8080),
  VERBOSE: booleanFlag().default(false),
});

describe('loadConfig', () => {
  it('applies the defaults when nothing is set', () => {
    expect(loadConfig(schema, {})).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      HTTP_PORT: 8080,
      VERBOSE: false,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(schema, { HTTP_PORT: '  ' }).HTTP_PORT).toBe(8080);
  });

  it('parses broker lists, URLs and numbers', () => {
    const config = loadConfig(schema, {
      KAFKA_BROKERS: 'a:9092, b:9093',
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7/',
      HTTP_PORT: '9000',
      VERBOSE: 'yes',
    });
    expect(config).toMatchObject({
      KAFKA_BROKERS: ['a:9092', 'b:9093'],
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
      HTTP_PORT: 9000,
      VERBOSE: true,
    });
  });

  describe('when variables are invalid', () => {
    it('names every offending variable in one error', () => {
      const error = captureError(() =>
        loadConfig(schema, { KAFKA_BROKERS: 'no-port', HTTP_PORT: '70000', MONGODB_URI: 'postgres://x' }),
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((issue) => issue.variable).sort()).toEqual([
        'HTTP_PORT',
        'KAFKA_BROKERS',
        'MONGODB_URI',
      ]);
      expect((error as Error).message).toContain(
        'KAFKA_BROKERS: must be a comma-separated list of host:port',
      );
    });

    it('says a variable without a default is required when it is unset or empty', () => {
      const required = z.object({ MONGODB_URI: mongoUri(), HTTP_PORT: port() });
      const error = captureError(() => loadConfig(required, { MONGODB_URI: ' ' }));
      expect((error as ConfigError).issues).toEqual([
        { variable: 'MONGODB_URI', message: 'is required' },
        { variable: 'HTTP_PORT', message: 'is required' },
      ]);
    });

    it('rejects a registry URL that is not http(s)', () => {
      const error = captureError(() => loadConfig(schema, { SCHEMA_REGISTRY_URL: 'ftp://registry' }));
      expect((error as ConfigError).issues).toEqual([
        { variable: 'SCHEMA_REGISTRY_URL', message: 'must be an http:// or https:// URL' },
      ]);
    });
  });
});

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
