import { readFileSync } from 'node:fs';
import type { BaseOptions } from '@platformatic/kafka';
import { ConfigError, type ConfigIssue, loadConfig } from '@wms-webhooks/config';
import { z } from 'zod';

/** The variables that secure every Kafka connection of a service or tool, as Kafka's own clients name them. */
export const kafkaSecurityEnv = {
  KAFKA_SECURITY_PROTOCOL: z
    .enum(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'], {
      error: 'must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL',
    })
    .default('PLAINTEXT')
    .describe('How every Kafka connection is secured: TLS, SASL, both or neither (docs/security.md).'),
  KAFKA_SSL_CA_FILE: z
    .string()
    .optional()
    .describe("PEM certificates to trust instead of the system's, e.g. a private CA."),
  KAFKA_SSL_CERT_FILE: z
    .string()
    .optional()
    .describe('A client certificate (PEM), for brokers that authenticate clients by TLS.'),
  KAFKA_SSL_KEY_FILE: z.string().optional().describe("The client certificate's private key (PEM)."),
  KAFKA_SASL_MECHANISM: z
    .enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'], {
      error: 'must be PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER',
    })
    .optional()
    .describe('The SASL mechanism; required with a SASL_ protocol.'),
  KAFKA_SASL_USERNAME: z.string().optional().describe('PLAIN and SCRAM: the user.'),
  KAFKA_SASL_PASSWORD: z.string().optional().describe('PLAIN and SCRAM: the password.'),
  KAFKA_SASL_PASSWORD_FILE: z
    .string()
    .optional()
    .describe('The password from a file (a mounted secret), instead of `KAFKA_SASL_PASSWORD`.'),
  KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: z
    .string()
    .optional()
    .describe(
      'OAUTHBEARER: a file holding the current token, read at each login, so a sidecar can renew it.',
    ),
};

const kafkaSecuritySchema = z.object(kafkaSecurityEnv);

export type KafkaSecurityConfig = z.infer<typeof kafkaSecuritySchema>;

export type KafkaSecurity = Pick<BaseOptions, 'tls' | 'sasl'>;

function readVariableFile(variable: string, file: string, issues: ConfigIssue[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    issues.push({ variable, message: `cannot be read: ${(error as Error).message}` });
    return undefined;
  }
}

/**
 * The TLS and SASL options for every Kafka client, from the variables above, checked together: a SASL
 * protocol needs a mechanism and its credentials, and a file named must be readable. Fails fast, naming
 * each variable that is wrong.
 */
export function kafkaSecurityOf(config: KafkaSecurityConfig): KafkaSecurity {
  const issues: ConfigIssue[] = [];
  const protocol = config.KAFKA_SECURITY_PROTOCOL;
  const security: KafkaSecurity = {};
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const ca =
      config.KAFKA_SSL_CA_FILE && readVariableFile('KAFKA_SSL_CA_FILE', config.KAFKA_SSL_CA_FILE, issues);
    const cert =
      config.KAFKA_SSL_CERT_FILE &&
      readVariableFile('KAFKA_SSL_CERT_FILE', config.KAFKA_SSL_CERT_FILE, issues);
    const key =
      config.KAFKA_SSL_KEY_FILE && readVariableFile('KAFKA_SSL_KEY_FILE', config.KAFKA_SSL_KEY_FILE, issues);
    if (Boolean(config.KAFKA_SSL_CERT_FILE) !== Boolean(config.KAFKA_SSL_KEY_FILE)) {
      issues.push({
        variable: 'KAFKA_SSL_KEY_FILE',
        message: 'goes with KAFKA_SSL_CERT_FILE: set both or neither',
      });
    }
    security.tls = { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  }
  const mechanism = config.KAFKA_SASL_MECHANISM;
  if (protocol === 'SASL_SSL' || protocol === 'SASL_PLAINTEXT') {
    if (!mechanism) {
      issues.push({ variable: 'KAFKA_SASL_MECHANISM', message: `is required with ${protocol}` });
    } else if (mechanism === 'OAUTHBEARER') {
      const file = config.KAFKA_SASL_OAUTHBEARER_TOKEN_FILE;
      if (!file) {
        issues.push({
          variable: 'KAFKA_SASL_OAUTHBEARER_TOKEN_FILE',
          message: 'is required with OAUTHBEARER',
        });
      } else if (readVariableFile('KAFKA_SASL_OAUTHBEARER_TOKEN_FILE', file, issues) !== undefined) {
        security.sasl = { mechanism, token: () => readFileSync(file, 'utf8').trim() };
      }
    } else {
      const file = config.KAFKA_SASL_PASSWORD_FILE;
      const fromFile = file ? readVariableFile('KAFKA_SASL_PASSWORD_FILE', file, issues) : undefined;
      const password = config.KAFKA_SASL_PASSWORD ?? fromFile?.trim();
      if (!config.KAFKA_SASL_USERNAME) {
        issues.push({ variable: 'KAFKA_SASL_USERNAME', message: `is required with ${mechanism}` });
      }
      // An unreadable file was reported as it was read.
      if (!password && (!file || fromFile !== undefined)) {
        issues.push(
          file
            ? { variable: 'KAFKA_SASL_PASSWORD_FILE', message: 'is empty' }
            : {
                variable: 'KAFKA_SASL_PASSWORD',
                message: `is required with ${mechanism} (or KAFKA_SASL_PASSWORD_FILE)`,
              },
        );
      }
      if (config.KAFKA_SASL_USERNAME && password) {
        security.sasl = { mechanism, username: config.KAFKA_SASL_USERNAME, password };
      }
    }
  } else if (mechanism) {
    issues.push({
      variable: 'KAFKA_SASL_MECHANISM',
      message: `is set, but KAFKA_SECURITY_PROTOCOL is ${protocol}; use SASL_SSL (or SASL_PLAINTEXT)`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return security;
}

/** For tools and tests that read the variables alone, outside a service's schema. */
export function kafkaSecurityFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaSecurity {
  return kafkaSecurityOf(loadConfig(kafkaSecuritySchema, env));
}
