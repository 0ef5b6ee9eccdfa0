import { EventEmitter } from 'node:events';
import { STATUS_CODES } from 'node:http';
import {
  createTargetPolicy,
  guardedLookup,
  refusalForUrl,
  type TargetPolicy,
  targetRefusedCode,
} from '@wms-webhooks/target-guard';
import { Agent, type Dispatcher, request as undiciRequest } from 'undici';
import {
  type AttemptExchange,
  type BodyExcerpt,
  bodyExcerpt,
  excerptBytes,
  headerList,
} from './attempt-exchange';
import { boundedMemo } from './bounded-memo';
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
      /** The answer that was not 2xx: its headers and the start of its body, for the Logs. */
      response?: NonNullable<AttemptExchange['response']>;
    };

/** The receiver is alive if it answered at all, unless the answer was 5xx or 429. */
export function answeredHealthy(outcome: AttemptOutcome): boolean {
  if (outcome.outcome === 'succeeded') return true;
  return (
    outcome.kind === 'status' &&
    outcome.statusCode !== null &&
    outcome.statusCode < 500 &&
    outcome.statusCode !== 429
  );
}

export interface DeliveryClient {
  send(request: DeliveryRequest, timeoutMs: number): Promise<AttemptOutcome>;
  close(): void;
}

const maxResponseBytes = 64 * 1024;

const tlsCodes = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'EPROTO',
]);

/**
 * Reads a failed answer's body up to the response limit, keeping its first bytes. A body that errors or
 * is cut off by the deadline keeps what came; one past the limit is abandoned, closing its socket.
 */
async function readExcerpt(body: Dispatcher.ResponseData['body']): Promise<BodyExcerpt> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let bytes = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (keptBytes < excerptBytes) {
        const part = chunk.subarray(0, excerptBytes - keptBytes);
        kept.push(part);
        keptBytes += part.length;
      }
      if (bytes > maxResponseBytes) break;
    }
  } catch {
    // The deadline or the receiver ended the body: what came is still worth showing.
    return { ...bodyExcerpt(Buffer.concat(kept), bytes), truncated: true };
  }
  return bodyExcerpt(Buffer.concat(kept), bytes);
}

/** Retry-After is either delay-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: unknown, now: number): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface TransportError {
  /** A string from Node and undici; DOMException (a timeout's abort) has a number here. */
  code?: unknown;
  name?: string;
  message: string;
  cause?: unknown;
}

/** The error that says what happened: undici wraps socket errors, e.g. a refused connection, in `cause`. */
function rootCause(error: TransportError): TransportError {
  const cause = error.cause as TransportError | undefined;
  return cause && typeof cause === 'object' && 'message' in cause ? rootCause(cause) : error;
}

/** Names why a request failed the way operators read it: timeout, connection refused, DNS, TLS. */
export function classifyFailure(failure: TransportError): { kind: FailureKind; error: string } {
  const error = rootCause(failure);
  const code = typeof error.code === 'string' ? error.code : '';
  if (code === targetRefusedCode) return { kind: 'target-refused', error: error.message };
  if (
    error.name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'ETIMEDOUT'
  ) {
    return { kind: 'timeout', error: `no response within the timeout (${code || error.name})` };
  }
  if (code === 'ECONNREFUSED') return { kind: 'connect', error: 'connection refused' };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET')
    return { kind: 'network', error: `connection reset (${code})` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', error: `host not found (${code})` };
  if (tlsCodes.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) {
    return { kind: 'tls', error: `TLS failure (${code})` };
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return { kind: 'connect', error: `unreachable (${code})` };
  return { kind: 'network', error: `${code ? `${code}: ` : ''}${error.message}` };
}

/**
 * Aborts a request that has not completed by `timeoutMs`: connecting, waiting for a free socket, headers
 * and body together. An EventEmitter, which undici accepts as a signal: it costs a fraction of an
 * AbortSignal's listener bookkeeping, and unlike `AbortSignal.timeout` its timer is cleared when the
 * request is done instead of firing later, once per request, to build a DOMException no one reads.
 */
function deadline(timeoutMs: number) {
  const signal = new EventEmitter();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    signal.emit('abort');
  }, timeoutMs);
  return {
    signal,
    expired: () => expired,
    clear: () => clearTimeout(timer),
  };
}

function refused(error: Error): AttemptOutcome {
  return { outcome: 'failed', kind: 'target-refused', statusCode: null, error: error.message, durationMs: 0 };
}

/**
 * One keep-alive client for every delivery, on undici (the Node.js project's HTTP client): sockets to a
 * receiver are reused across deliveries (docs/performance.md has the comparison that chose it). Redirects are not followed (a receiver must answer at the URL it registered, and a redirect
 * could point inside the network), proxies from the environment are ignored, and any status counts as an
 * answer, so only 2xx is success. Every connection is checked against the target policy on the address
 * it actually connects to.
 */
export function createDeliveryClient(
  options: { maxSocketsPerHost?: number; targetPolicy?: TargetPolicy } = {},
): DeliveryClient {
  const policy = options.targetPolicy ?? createTargetPolicy();
  const dispatcher = new Agent({
    connections: options.maxSocketsPerHost ?? 50,
    keepAliveTimeout: 30_000,
    connect: { lookup: guardedLookup(policy) },
  });
  // The policy is fixed for the client's life, so the verdict on what a URL shows is too.
  const urlRefusal = boundedMemo((url: string) => refusalForUrl(policy, url));
  return {
    async send(request, timeoutMs) {
      const refusal = urlRefusal(request.url);
      if (refusal) return refused(refusal);
      const started = performance.now();
      const limit = deadline(timeoutMs);
      try {
        const response = await undiciRequest(request.url, {
          method: 'POST',
          dispatcher,
          headers: request.headers,
          body: request.body,
          signal: limit.signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const status = response.statusCode;
        if (status >= 200 && status < 300) {
          // A success's body is not kept: read (up to a limit) so the socket can be reused.
          await response.body.dump({ limit: maxResponseBytes });
          return {
            outcome: 'succeeded',
            statusCode: status,
            durationMs: Math.round(performance.now() - started),
          };
        }
        const body = await readExcerpt(response.body);
        const durationMs = Math.round(performance.now() - started);
        const retryAfterMs =
          status === 429 || status === 503
            ? parseRetryAfter(response.headers['retry-after'], Date.now())
            : undefined;
        return {
          outcome: 'failed',
          kind: 'status',
          statusCode: status,
          error: `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`,
          durationMs,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
          response: { headers: headerList(response.headers), body },
        };
      } catch (error) {
        const durationMs = Math.round(performance.now() - started);
        const failure = limit.expired()
          ? { kind: 'timeout' as const, error: `no response within the timeout (${timeoutMs} ms)` }
          : classifyFailure(error as TransportError);
        return { outcome: 'failed', statusCode: null, durationMs, ...failure };
      } finally {
        limit.clear();
      }
    },
    close() {
      void dispatcher.destroy();
    },
  };
}
