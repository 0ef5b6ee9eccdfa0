import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  createTargetPolicy,
  guardedLookup,
  refusalForLiteral,
  type TargetPolicy,
  targetRefusedCode,
} from '@wms-webhooks/target-guard';
import axios, { type AxiosError, type AxiosInstance } from 'axios';
import type { DeliveryRequest } from './delivery-request';

export type FailureKind =
  | 'status'
  | 'timeout'
  | 'connect'
  | 'dns'
  | 'tls'
  | 'network'
  | 'circuit-open'
  | 'target-refused';

export type AttemptOutcome =
  | { outcome: 'succeeded'; statusCode: number; durationMs: number }
  | {
      outcome: 'failed';
      kind: FailureKind;
      statusCode: number | null;
      error: string;
      durationMs: number;
      /** From a 429 or 503's Retry-After header. */
      retryAfterMs?: number;
    };

export interface DeliveryClient {
  send(request: DeliveryRequest, timeoutMs: number): Promise<AttemptOutcome>;
  close(): void;
}

const tlsCodes = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'EPROTO',
]);

/** Retry-After is either delay-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: unknown, now: number): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Names why a request failed the way operators read it: timeout, connection refused, DNS, TLS. */
export function classifyFailure(error: AxiosError): { kind: FailureKind; error: string } {
  const code = error.code ?? '';
  if (code === targetRefusedCode) return { kind: 'target-refused', error: error.message };
  if (
    code === 'ECONNABORTED' ||
    code === 'ETIMEDOUT' ||
    code === 'ERR_CANCELED' ||
    error.message.includes('timeout')
  ) {
    return { kind: 'timeout', error: `no response within the timeout (${code || 'timeout'})` };
  }
  if (code === 'ECONNREFUSED') return { kind: 'connect', error: 'connection refused' };
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return { kind: 'network', error: `connection reset (${code})` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', error: `host not found (${code})` };
  if (tlsCodes.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) {
    return { kind: 'tls', error: `TLS failure (${code})` };
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return { kind: 'connect', error: `unreachable (${code})` };
  return { kind: 'network', error: `${code ? `${code}: ` : ''}${error.message}` };
}

function refused(error: Error): AttemptOutcome {
  return { outcome: 'failed', kind: 'target-refused', statusCode: null, error: error.message, durationMs: 0 };
}

/**
 * One keep-alive client for every delivery: sockets to a receiver are reused across deliveries.
 * Redirects are not followed (a receiver must answer at the URL it registered, and a redirect could
 * point inside the network), proxies from the environment are ignored, and any status counts as an
 * answer, so only 2xx is success. Every connection is checked against the target policy on the address
 * it actually connects to.
 */
export function createDeliveryClient(
  options: { maxSocketsPerHost?: number; targetPolicy?: TargetPolicy } = {},
): DeliveryClient {
  const policy = options.targetPolicy ?? createTargetPolicy();
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSocketsPerHost ?? 50,
    maxFreeSockets: 10,
    lookup: guardedLookup(policy),
  };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  const client: AxiosInstance = axios.create({
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    proxy: false,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: (data: unknown) => data,
    // The body is ours to serialise once; axios must send it byte-exact for the signature to verify.
    transformRequest: (data: unknown) => data,
    maxContentLength: 64 * 1024,
    decompress: true,
  });
  return {
    async send(request, timeoutMs) {
      const literalRefusal = refusalForLiteral(policy, request.url);
      if (literalRefusal) return refused(literalRefusal);
      const started = performance.now();
      try {
        const response = await client.post(request.url, request.body, {
          headers: request.headers,
          timeout: timeoutMs,
          signal: AbortSignal.timeout(timeoutMs + 1_000),
        });
        const durationMs = Math.round(performance.now() - started);
        if (response.status >= 200 && response.status < 300) {
          return { outcome: 'succeeded', statusCode: response.status, durationMs };
        }
        const retryAfterMs =
          response.status === 429 || response.status === 503
            ? parseRetryAfter(response.headers['retry-after'], Date.now())
            : undefined;
        return {
          outcome: 'failed',
          kind: 'status',
          statusCode: response.status,
          error: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
          durationMs,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        };
      } catch (error) {
        const durationMs = Math.round(performance.now() - started);
        const classified = axios.isAxiosError(error)
          ? classifyFailure(error)
          : { kind: 'network' as const, error: error instanceof Error ? error.message : String(error) };
        return { outcome: 'failed', statusCode: null, durationMs, ...classified };
      }
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
