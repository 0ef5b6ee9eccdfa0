import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The fault suite's receiver: keep-alive HTTP on loopback that answers 200, or 500 on the paths told to
 * fail, and counts every request per delivery id (the `webhook-id` header).
 */
export class FaultReceiver {
  /** Requests per delivery id, whatever the answer. */
  readonly attempts = new Map<string, number>();
  /** Requests answered 2xx per delivery id. */
  readonly accepted = new Map<string, number>();
  /** When each 2xx was answered, in order. */
  private readonly acceptedAt: number[] = [];
  private readonly failing = new Set<string>();
  private server?: Server;
  private baseUrl = '';

  async start(): Promise<this> {
    this.server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
      request.resume();
      request.on('end', () => {
        const id = String(request.headers['webhook-id'] ?? '');
        this.attempts.set(id, (this.attempts.get(id) ?? 0) + 1);
        if (this.failing.has(request.url ?? '')) {
          response.writeHead(500, { 'content-length': '0' }).end();
          return;
        }
        this.accepted.set(id, (this.accepted.get(id) ?? 0) + 1);
        this.acceptedAt.push(Date.now());
        response.writeHead(200, { 'content-length': '0' }).end();
      });
    });
    await new Promise<void>((listening) => this.server?.listen(0, '127.0.0.1', listening));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  failOn(path: string) {
    this.failing.add(path);
  }

  succeedOn(path: string) {
    this.failing.delete(path);
  }

  /** Of the expected ids: how many arrived (2xx, or any answer with `attempted`), missing, and repeated. */
  tally(expected: ReadonlySet<string>, counted: 'accepted' | 'attempted' = 'accepted') {
    const seen = counted === 'accepted' ? this.accepted : this.attempts;
    let arrived = 0;
    let duplicates = 0;
    for (const id of expected) {
      const times = seen.get(id) ?? 0;
      if (times > 0) arrived += 1;
      if (counted === 'accepted') duplicates += Math.max(0, times - 1);
    }
    return { arrived, missing: expected.size - arrived, duplicates };
  }

  /** The longest time between two deliveries accepted within the window, its edges counted as deliveries. */
  longestPauseMs(from: number, to: number): number {
    const times = [from, ...this.acceptedAt.filter((at) => at > from && at < to), to];
    return Math.max(...times.slice(1).map((at, index) => at - (times[index] as number)));
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise<void>((closed) => this.server?.close(() => closed()) ?? closed());
  }
}
