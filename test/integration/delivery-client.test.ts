import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeliveryClient } from '@wms-webhooks/delivery';
import { createTargetPolicy, parseCidrList } from '@wms-webhooks/target-guard';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const timeoutMs = 1_000;

/**
 * Answers by path: `/ok` at once, `/silent` never, `/drip` (200) and `/failing-drip` (503) with headers
 * and then a byte every 100 ms, `/failing` 500 with a 10,000-byte body.
 */
async function startTrickleServer(): Promise<{ server: Server; url: (path: string) => string }> {
  const dripping = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url === '/ok') return void response.writeHead(204).end();
      if (request.url === '/failing') {
        response.writeHead(500, {
          'content-type': 'text/plain',
          'set-cookie': 'session=abc',
          'x-request-id': 'r-1',
        });
        return void response.end(`database unavailable ${'E'.repeat(10_000 - 21)}`);
      }
      if (request.url === '/drip' || request.url === '/failing-drip') {
        response.writeHead(request.url === '/drip' ? 200 : 503, { 'content-type': 'text/plain' });
        dripping.add(response);
        const timer = setInterval(() => response.write('.'), 100);
        response.on('close', () => {
          clearInterval(timer);
          dripping.delete(response);
        });
      }
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url: (path) => `${base}${path}` };
}

const post = (url: string) => ({ url, headers: { 'content-type': 'application/json' }, body: '{}' });

describe('the delivery client on real sockets', () => {
  let trickle: Awaited<ReturnType<typeof startTrickleServer>>;
  const client = createDeliveryClient({
    targetPolicy: createTargetPolicy({ allowedTargets: parseCidrList('127.0.0.0/8') }),
  });
  beforeAll(async () => {
    trickle = await startTrickleServer();
  });
  afterAll(async () => {
    client.close();
    trickle.server.closeAllConnections();
    await new Promise((closed) => trickle.server.close(closed));
  });

  describe('when the receiver never answers', () => {
    it('fails the attempt as a timeout once the timeout has passed', async () => {
      const outcome = await client.send(post(trickle.url('/silent')), timeoutMs);
      expect(outcome).toMatchObject({
        outcome: 'failed',
        kind: 'timeout',
        statusCode: null,
        error: `no response within the timeout (${timeoutMs} ms)`,
      });
      expect(outcome.durationMs).toBeGreaterThanOrEqual(timeoutMs - 5);
    });
  });

  describe('when the receiver answers 200 and then sends its body a byte at a time, never finishing', () => {
    it('ends the attempt at the timeout although bytes keep arriving, and counts the 200', async () => {
      // Each byte comes well within the idle timeout between chunks, so only the overall deadline ends it.
      const outcome = await client.send(post(trickle.url('/drip')), timeoutMs);
      expect(outcome).toMatchObject({ outcome: 'succeeded', statusCode: 200 });
      expect(outcome.durationMs).toBeGreaterThanOrEqual(timeoutMs - 5);
    });
  });

  describe('when the receiver answers 500 with a long body', () => {
    it('keeps its headers, credentials masked, and the first 4 KB of its body', async () => {
      const outcome = await client.send(post(trickle.url('/failing')), timeoutMs);
      expect(outcome).toMatchObject({ outcome: 'failed', kind: 'status', statusCode: 500 });
      if (outcome.outcome !== 'failed' || !outcome.response) throw new Error('no response kept');
      expect(outcome.response.headers).toEqual(
        expect.arrayContaining([
          { name: 'content-type', value: 'text/plain' },
          { name: 'set-cookie', value: '***' },
          { name: 'x-request-id', value: 'r-1' },
        ]),
      );
      expect(outcome.response.body.text).toMatch(/^database unavailable E+$/);
      expect(outcome.response.body).toMatchObject({ bytes: 10_000, truncated: true });
      expect(outcome.response.body.text).toHaveLength(4096);
    });
  });

  describe('when the receiver answers 503 and then sends its body a byte at a time', () => {
    it('ends at the timeout with the 503 and the bytes that came', async () => {
      const outcome = await client.send(post(trickle.url('/failing-drip')), timeoutMs);
      expect(outcome).toMatchObject({ outcome: 'failed', kind: 'status', statusCode: 503 });
      if (outcome.outcome !== 'failed' || !outcome.response) throw new Error('no response kept');
      expect(outcome.response.body.text).toMatch(/^\.+$/);
      expect(outcome.response.body.truncated).toBe(true);
    });
  });

  describe('when the receiver answers 2xx', () => {
    it('keeps nothing of the answer', async () => {
      const outcome = await client.send(post(trickle.url('/ok')), timeoutMs);
      expect(outcome).toEqual({ outcome: 'succeeded', statusCode: 204, durationMs: expect.any(Number) });
    });
  });

  describe('after attempts that timed out', () => {
    it('still delivers to a receiver that answers', async () => {
      const outcomes = await Promise.all(
        [1, 2, 3].map(() => client.send(post(trickle.url('/ok')), timeoutMs)),
      );
      expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    });
  });
});
