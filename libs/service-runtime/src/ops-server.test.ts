import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { answerOps } from './ops-server';

const endpoints = (readiness: Record<string, () => void>) => ({
  service: 'matcher',
  metrics: new Registry(),
  readiness,
});

describe('answerOps', () => {
  describe('when a dependency is not usable', () => {
    it('answers /readyz 503, naming the failing check, the service and its pid', async () => {
      const answer = await answerOps(
        '/readyz',
        endpoints({
          registry: () => undefined,
          store: () => {
            throw new Error('store unreachable');
          },
        }),
      );
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toEqual({
        service: 'matcher',
        pid: process.pid,
        ready: false,
        checks: { registry: 'ok', store: 'store unreachable' },
      });
    });

    it('still answers /healthz 200: the process itself is alive', async () => {
      const answer = await answerOps(
        '/healthz',
        endpoints({ store: () => Promise.reject(new Error('down')) }),
      );
      expect(answer).toEqual({ status: 200, contentType: 'application/json', body: '{"status":"ok"}' });
    });
  });

  it('answers /metrics in the Prometheus text format', async () => {
    const answer = await answerOps('/metrics', endpoints({}));
    expect(answer.status).toBe(200);
    expect(answer.contentType).toContain('text/plain');
  });
});
