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

export interface OpsAnswer {
  status: number;
  contentType: string;
  body: string;
}

export type OpsEndpoints = Pick<OpsServerOptions, 'service' | 'metrics' | 'readiness'>;

export const opsPaths = ['/metrics', '/healthz', '/readyz'] as const;

/**
 * What /metrics (Prometheus text), /healthz (the process answers) and /readyz (its dependencies are
 * usable) answer: the same on a consumer's ops server and on the api's own port.
 */
export async function answerOps(
  path: (typeof opsPaths)[number],
  endpoints: OpsEndpoints,
): Promise<OpsAnswer> {
  const json = 'application/json';
  if (path === '/metrics')
    return {
      status: 200,
      contentType: endpoints.metrics.contentType,
      body: await endpoints.metrics.metrics(),
    };
  if (path === '/healthz') return { status: 200, contentType: json, body: '{"status":"ok"}' };
  const report = await evaluateReadiness(endpoints.service, endpoints.readiness);
  return { status: report.ready ? 200 : 503, contentType: json, body: JSON.stringify(report) };
}

const isOpsPath = (path: string | undefined): path is (typeof opsPaths)[number] =>
  (opsPaths as readonly string[]).includes(path ?? '');

/** An HTTP server of its own for the ops endpoints, for the services that serve nothing else. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer(async (request, response) => {
    const path = request.url?.split('?')[0];
    try {
      const answer = isOpsPath(path)
        ? await answerOps(path, options)
        : { status: 404, contentType: 'application/json', body: '{"error":"not found"}' };
      response.writeHead(answer.status, { 'content-type': answer.contentType });
      response.end(answer.body);
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
