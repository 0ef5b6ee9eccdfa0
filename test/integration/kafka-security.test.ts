import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIngester } from '@wms-webhooks/ingester';
import { createKafkaClient, kafkaSecurityFromEnv } from '@wms-webhooks/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookBody, wmsEvent } from '../support/events';
import { type Pipeline, pipelineEnv, startPipeline } from '../support/pipeline';
import { Receiver } from '../support/receiver';
import { securedKafkaEnv } from '../support/stack';
import { waitFor } from '../support/wait-for';

const secured = securedKafkaEnv();

/** An unsigned JWT, which the local stack's OAUTHBEARER validator (Kafka's default, for tests) accepts. */
function unsignedToken(subject: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none' })}.${part({ sub: subject, iat: now, exp: now + 3600 })}.`;
}

describe.skipIf(!secured)('services on a SASL_SSL listener', () => {
  describe('with SCRAM-SHA-512 and the broker certificate trusted', () => {
    let pipeline: Pipeline;
    const receiver = new Receiver();

    beforeAll(async () => {
      await receiver.start();
      pipeline = await startPipeline(secured);
    });

    afterAll(async () => {
      await pipeline?.stop();
      await receiver.stop();
    });

    it('delivers an event end to end', async () => {
      const created = await pipeline.api('/api/webhooks', {
        method: 'POST',
        body: webhookBody({ goodsOwnerIds: [1931], url: receiver.url('/over-tls') }),
      });
      expect(created.status).toBe(201);
      await pipeline.publish([wmsEvent({ goodsOwnerId: 1931 })]);
      await waitFor(() => receiver.at('/over-tls').length === 1 || undefined, {
        message: 'the delivery through the secured listener',
      });
    });
  });

  describe('with a wrong password', () => {
    it('refuses to start, saying the broker refused the login', { timeout: 60_000 }, async () => {
      const directory = await mkdtemp(join(tmpdir(), 'it-sasl-'));
      const wrong = join(directory, 'password');
      await writeFile(wrong, 'not-the-password\n');
      const { env } = pipelineEnv({ ...secured, KAFKA_SASL_PASSWORD_FILE: wrong });
      await expect(startIngester(env)).rejects.toThrow('SASL_AUTHENTICATION_FAILED');
    });
  });

  describe('with OAUTHBEARER and a token file', () => {
    it('logs in with the token the file holds', async () => {
      const directory = await mkdtemp(join(tmpdir(), 'it-oauth-'));
      const tokenFile = join(directory, 'token');
      await writeFile(tokenFile, `${unsignedToken('wms-webhooks')}\n`);
      const security = kafkaSecurityFromEnv({
        ...secured,
        KAFKA_SASL_MECHANISM: 'OAUTHBEARER',
        KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: tokenFile,
      });
      const admin = createKafkaClient({
        clientId: 'it-oauth',
        brokers: [secured?.KAFKA_BROKERS ?? ''],
        security,
      }).admin();
      try {
        expect(Array.isArray(await admin.listTopics())).toBe(true);
      } finally {
        await admin.close();
      }
    });
  });
});
