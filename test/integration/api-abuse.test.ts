import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pipeline, startPipeline, testAdminKey } from '../support/pipeline';
import { waitFor } from '../support/wait-for';

/** A raw connection to the api, for requests a well-behaved client would never send. */
async function rawConnection(
  apiUrl: string,
): Promise<{ socket: Socket; closed: () => boolean; answer: () => string }> {
  const { hostname, port } = new URL(apiUrl);
  const socket = connect(Number(port), hostname);
  await new Promise((connected) => socket.once('connect', connected));
  let closed = false;
  let answer = '';
  socket.on('data', (chunk) => {
    answer += chunk.toString();
  });
  socket.on('close', () => {
    closed = true;
  });
  socket.on('error', () => undefined);
  return { socket, closed: () => closed, answer: () => answer };
}

describe('the api under abuse', () => {
  let pipeline: Pipeline;
  const open: Socket[] = [];

  beforeAll(async () => {
    pipeline = await startPipeline(
      {
        API_AUTH_FAILURES_PER_MINUTE: '20',
        API_HEADERS_TIMEOUT_MS: '1000',
        API_REQUEST_TIMEOUT_MS: '2000',
        API_MAX_CONCURRENT_REQUESTS: '2',
      },
      { sender: false },
    );
  });

  afterAll(async () => {
    for (const socket of open) socket.destroy();
    await pipeline?.stop();
  });

  describe('when a client sends its headers and never finishes them', () => {
    it('closes the connection after the header timeout', async () => {
      const slow = await rawConnection(pipeline.apiUrl);
      open.push(slow.socket);
      slow.socket.write('GET /api/webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      await waitFor(() => slow.closed() || undefined, {
        timeoutMs: 15_000,
        message: 'the api closed the connection',
      });
    });
  });

  describe('when a client sends a body it never finishes', () => {
    it('answers 408 after the request timeout', async () => {
      const slow = await rawConnection(pipeline.apiUrl);
      open.push(slow.socket);
      slow.socket.write(
        `POST /api/webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${testAdminKey}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`,
      );
      await waitFor(() => slow.closed() || undefined, {
        timeoutMs: 15_000,
        message: 'the api gave up on the body',
      });
      expect(slow.answer()).toMatch(/^HTTP\/1\.1 408/);
    });
  });

  describe('when more requests are in flight than the api allows', () => {
    it('answers 503 with Retry-After, and the probes still answer', async () => {
      const held = await Promise.all([rawConnection(pipeline.apiUrl), rawConnection(pipeline.apiUrl)]);
      for (const connection of held) {
        open.push(connection.socket);
        connection.socket.write(
          `POST /api/keys HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${testAdminKey}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
        );
      }
      const refused = await waitFor(async () => {
        const response = await fetch(`${pipeline.apiUrl}/api/catalogue`, {
          headers: { authorization: `Bearer ${testAdminKey}` },
        });
        return response.status === 503 ? response : undefined;
      });
      expect(refused.headers.get('retry-after')).toBe('1');
      expect((await fetch(`${pipeline.apiUrl}/healthz`)).status).toBe(200);
      for (const connection of held) connection.socket.destroy();
    });
  });
  // Last: the address stays refused for the rest of the minute.
  describe('when one address tries 1,000 wrong keys', () => {
    it('answers 429 with Retry-After once it has failed 20 times in the minute, without looking the key up', async () => {
      const statuses = new Map<number, number>();
      let retryAfter: string | null = null;
      for (let guess = 0; guess < 1_000; guess++) {
        const response = await fetch(`${pipeline.apiUrl}/api/webhooks`, {
          headers: { authorization: `Bearer wmk_guess-${guess}` },
        });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 429) retryAfter = response.headers.get('retry-after');
        await response.body?.cancel();
      }
      // A minute may turn during the loop and allow 20 more.
      expect(statuses.get(401)).toBeLessThanOrEqual(40);
      expect(statuses.get(429)).toBeGreaterThanOrEqual(960);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
      const metrics = await (await fetch(`${pipeline.apiUrl}/metrics`)).text();
      const counted = (reason: string) =>
        Number(
          new RegExp(`wms_webhooks_api_requests_refused_total\\{[^}]*reason="${reason}"[^}]*\\} (\\d+)`).exec(
            metrics,
          )?.[1],
        );
      expect(counted('auth-failures')).toBe(statuses.get(429));
      expect(counted('concurrency')).toBeGreaterThanOrEqual(1);
    });
  });
});
