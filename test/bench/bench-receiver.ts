import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** 32-bit FNV-1a: spreads ids evenly at a fraction of a SHA-1's cost, which was 7% of the receiver's CPU. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}

/** Whether the receiver fails this delivery's first attempt: a stable choice per id, about `share` of all. */
export function failsFirstAttempt(deliveryId: string, share: number): boolean {
  if (share <= 0) return false;
  return fnv1a(deliveryId) / 0xffffffff < share;
}

/**
 * The bench's receiver: keep-alive HTTP on loopback that answers at once, fails the first attempt of a
 * chosen share of deliveries (their retries succeed), and counts distinct delivery ids and duplicates.
 */
export class BenchReceiver {
  readonly delivered = new Set<string>();
  readonly failed = new Set<string>();
  readonly arrivals: Array<{ id: string; at: number; latencyMs: number }> = [];
  readonly retriedArrivals: Array<{ id: string; at: number; latencyMs: number }> = [];
  /** Each delivery id once, in the order first seen (failed or delivered), so a waiter reads only what is new. */
  readonly firstSeen: string[] = [];
  duplicateRequests = 0;
  requests = 0;
  private server?: Server;

  constructor(
    private readonly failShare: number,
    /** When the event behind each delivery id was scheduled to be produced. */
    private readonly scheduledAt: ReadonlyMap<string, number>,
    /** Every answer waits this long, as a remote endpoint's round trip would. */
    private readonly delayMs = 0,
  ) {}

  async start(): Promise<string> {
    this.server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
      request.resume();
      // Arrival is when the request is in; the delay stands for the endpoint's work after that.
      request.on('end', () => {
        const arrivedAt = Date.now();
        if (this.delayMs > 0) setTimeout(answer, this.delayMs, arrivedAt);
        else answer(arrivedAt);
      });
      const answer = (now: number) => {
        this.requests += 1;
        const id = String(request.headers['webhook-id'] ?? '');
        const attempt = Number(request.headers['webhook-attempt'] ?? 1);
        if (!this.delivered.has(id) && !this.failed.has(id)) this.firstSeen.push(id);
        if (attempt === 1 && failsFirstAttempt(id, this.failShare)) {
          this.failed.add(id);
          response.writeHead(500, { 'content-length': '0' }).end();
          return;
        }
        if (this.delivered.has(id)) {
          this.duplicateRequests += 1;
        } else {
          this.delivered.add(id);
          const scheduled = this.scheduledAt.get(id);
          if (scheduled !== undefined) {
            (attempt === 1 ? this.arrivals : this.retriedArrivals).push({
              id,
              at: now,
              latencyMs: now - scheduled,
            });
          }
        }
        response.writeHead(204).end();
      };
    });
    this.server.maxRequestsPerSocket = 0;
    await new Promise<void>((listening) => this.server?.listen(0, '127.0.0.1', listening));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise((closed) => this.server?.close(closed));
  }
}
