import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-deps';

/** What one api process lets a client take; every figure comes from the api's configuration. */
export interface ApiLimits {
  /** The whole request, body included; 408 after it. */
  requestTimeoutMs: number;
  /** Until the request's headers are complete; the connection is closed after it. */
  headersTimeoutMs: number;
  /** Requests in progress at once; more answer 503 with Retry-After. */
  maxConcurrentRequests: number;
  /** Failed authentications per client address (IPv6: per /64) per minute; more answer 429. */
  authFailuresPerMinute: number;
  /** Proxies whose X-Forwarded-For names the client: addresses or CIDRs, comma-separated; empty: none. */
  trustProxy: string;
}

/** The probes and metrics answer however busy the api is: an orchestrator must see it alive. */
const unbounded = new Set(['/healthz', '/readyz', '/metrics']);

/** Fastify's server options for the timeouts (its own default for both is none). */
export function serverOptions(limits: ApiLimits) {
  return {
    requestTimeout: limits.requestTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      // Node checks the two timeouts on this interval (30 s by default), so it bounds how late they fire.
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    ...(limits.trustProxy === '' ? {} : { trustProxy: limits.trustProxy }),
  };
}

/** Refuses requests beyond the bound with 503 and Retry-After, before any work is done for them. */
export function registerConcurrencyBound(
  app: FastifyInstance,
  limits: ApiLimits,
  countRefusal: ApiDeps['countRefusal'],
) {
  let inFlight = 0;
  app.addHook('onRequest', async (request, reply) => {
    if (unbounded.has(request.url)) return;
    if (inFlight >= limits.maxConcurrentRequests) {
      countRefusal('concurrency');
      return reply
        .code(503)
        .header('retry-after', '1')
        .send({ error: `the api is handling ${inFlight} requests, its most at once; retry in a second` });
    }
    inFlight += 1;
    // 'close' comes once whether the answer was sent or the client went away first.
    reply.raw.once('close', () => {
      inFlight -= 1;
    });
  });
}
