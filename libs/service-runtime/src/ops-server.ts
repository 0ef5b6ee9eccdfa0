import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export type ReadinessCheck = () => Promise<void> | void;

export interface OpsServerOptions {
  /** What /readyz names as the service answering, beside its pid. */
  service: string;
  host: string;
  port: number;
  metrics: Registry;
  /** Each check throws (or rejects) with the reason while its dependency is not usable. */
  readiness: Record<string, ReadinessCheck>;
}

export interface OpsServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * The /readyz report. It names the service and its pid so that whoever started the process can tell it
 * from another one holding the same port.
 */
export async function evaluateReadiness(service: string, checks: Record<string, ReadinessCheck>) {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await check();
        return [name, 'ok'] as const;
      } catch (error) {
        return [name, error instanceof Error ? error.message : String(error)] as const;
      }
    }),
  );
  return {
    service,
    pid: process.pid,
    ready: results.every(([, status]) => status === 'ok'),
    checks: Object.fromEntries(results),
  };
}

/** /metrics for Prometheus, /healthz (the process answers), /readyz (its dependencies are usable). */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer(async (request, response) => {
    const path = request.url?.split('?')[0];
    try {
      if (path === '/metrics') {
        response.writeHead(200, { 'content-type': options.metrics.contentType });
        response.end(await options.metrics.metrics());
      } else if (path === '/healthz') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"status":"ok"}');
      } else if (path === '/readyz') {
        const report = await evaluateReadiness(options.service, options.readiness);
        response.writeHead(report.ready ? 200 : 503, { 'content-type': 'application/json' });
        response.end(JSON.stringify(report));
      } else {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end('{"error":"not found"}');
      }
    } catch (error) {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    }
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(options.port, options.host, () => listening());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${options.host}:${address.port}`,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}
