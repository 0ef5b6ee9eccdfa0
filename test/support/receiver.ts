import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
  receivedAt: number;
}

/** The Standard Webhooks headers of a received request, as a verifier takes them. */
export function signatureHeaders(request: ReceivedRequest | undefined) {
  return {
    'webhook-id': String(request?.headers['webhook-id']),
    'webhook-timestamp': String(request?.headers['webhook-timestamp']),
    'webhook-signature': String(request?.headers['webhook-signature']),
  };
}

/** A real HTTP receiver on 127.0.0.1 that records every request and answers with the status set per path. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly hanging = new Set<string>();
  private readonly rules = new Map<string, (request: ReceivedRequest) => number>();
  private readonly answersByPath = new Map<
    string,
    Array<{ status: number; headers?: Record<string, string>; body?: string }>
  >();
  private server?: Server;
  private baseUrl = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        this.requests.push({
          path,
          method: request.method ?? '',
          headers: request.headers,
          rawHeaders: request.rawHeaders,
          body: Buffer.concat(chunks).toString('utf8'),
          receivedAt: Date.now(),
        });
        if (this.hanging.has(path)) return;
        const rule = this.rules.get(path);
        if (rule) {
          response.writeHead(rule(this.requests[this.requests.length - 1] as ReceivedRequest)).end('ok');
          return;
        }
        const script = this.answersByPath.get(path) ?? [];
        // The last scripted answer repeats; before any script, answer 200.
        const answer = (script.length > 1 ? script.shift() : script[0]) ?? { status: 200 };
        response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        response.end(answer.body ?? 'ok');
      });
    });
    await new Promise<void>((listening) => this.server?.listen(0, '127.0.0.1', listening));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  respondWith(path: string, status: number, headers?: Record<string, string>, body?: string) {
    this.answersByPath.set(path, [{ status, headers, body }]);
  }

  /** Answers each request with the status the rule picks, e.g. by its webhook-attempt header. */
  respondBy(path: string, rule: (request: ReceivedRequest) => number) {
    this.rules.set(path, rule);
  }

  /** Never answers: the sender's timeout is what ends these requests. */
  hang(path: string) {
    this.hanging.add(path);
  }

  /** Answers in turn, then repeats the last: e.g. [500, 500, 200] succeeds on the 3rd attempt. */
  respondInTurn(path: string, statuses: number[]) {
    this.answersByPath.set(
      path,
      statuses.map((status) => ({ status })),
    );
  }

  at(path: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise((closed) => this.server?.close(closed));
  }
}
