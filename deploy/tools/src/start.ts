import { join } from 'node:path';
import { buildAdminUi } from '@wms-webhooks/admin-ui';
import { redactCredentials } from '@wms-webhooks/config';
import { applyCatalogue, catalogueEntries, topicReplicationFromEnv } from '@wms-webhooks/contracts';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import { loadStackLayout } from '@wms-webhooks/local-stack';
import { connectTools } from './connect';
import { localCredentials } from './local-credentials';
import { startMailCatcher } from './mail-catcher';
import { runTool } from './run-tool';
import { withStackReplication } from './stack-replication';
import { launchService, type RunningService, stopServices, waitUntilReady } from './supervisor';

interface ServiceEntry {
  name: string;
  tier?: string;
  port: number;
  portVariable: string;
}

/** The demo receiver listens on loopback; outside this local start, loopback targets are refused. */
const demoAllowedTargets = '127.0.0.0/8,::1/128';

const services: ServiceEntry[] = [
  { name: 'api', port: 8080, portVariable: 'API_PORT' },
  { name: 'ingester', port: 9101, portVariable: 'OPS_PORT' },
  { name: 'matcher', port: 9102, portVariable: 'OPS_PORT' },
  { name: 'sender', port: 9103, portVariable: 'OPS_PORT' },
  { name: 'notifier', port: 9104, portVariable: 'OPS_PORT' },
  ...(['1m', '5m', '15m', '30m', '2h'] as const).map((tier, index) => ({
    name: 'retrier',
    tier,
    port: 9111 + index,
    portVariable: 'OPS_PORT',
  })),
];

/**
 * `npm start`: resolves the endpoints (bringing the native stack up where nothing else is configured),
 * applies topics and schemas, starts every service and prints where everything is. Ctrl-C stops the
 * services gracefully; the stack keeps running (npm run stack:down stops it).
 */
runTool(async () => {
  const endpoints = await resolveEndpoints({ start: true, log: (line) => console.log(line) });
  // On the native stack, its node count decides the replication (1 and 1, or 3 and 2); a variable set
  // by hand, or another cluster, keeps its own.
  const replicationEnv = withStackReplication(endpoints.sources.kafkaBrokers, loadStackLayout(), process.env);
  const { admin, serde } = connectTools(endpoints, 'wms-start');
  try {
    await applyCatalogue(admin, serde, catalogueEntries('', topicReplicationFromEnv(replicationEnv)));
  } finally {
    await admin.close();
  }

  if ((await buildAdminUi()).built) console.log('built the admin UI (libs/admin-ui/dist)');
  const logsDir = join(loadStackLayout().runDir, 'logs', 'services');
  const credentials = localCredentials();
  const mailCatcher = process.env.SMTP_URL
    ? undefined
    : await startMailCatcher(
        join(loadStackLayout().runDir, 'mail'),
        Number(process.env.MAIL_CATCHER_PORT ?? 2525),
      );
  const baseEnv = {
    ...replicationEnv,
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
    MONGODB_URI: endpoints.mongodbUri,
    WEBHOOKS_ALLOWED_TARGETS: process.env.WEBHOOKS_ALLOWED_TARGETS ?? demoAllowedTargets,
    ...credentials.env,
    SMTP_URL: process.env.SMTP_URL ?? mailCatcher?.url,
  };
  const running: RunningService[] = services.map((service) =>
    launchService(
      {
        name: service.name,
        label: service.tier ? `retrier-${service.tier}` : service.name,
        readyUrl: `http://127.0.0.1:${service.port}/readyz`,
        env: {
          ...baseEnv,
          [service.portVariable]: String(service.port),
          ...(service.tier ? { RETRY_TIER: service.tier } : {}),
        },
      },
      logsDir,
    ),
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the services (the stack keeps running)`);
    const killed = await stopServices(running);
    for (const service of killed)
      console.log(
        `  ${service.spec.label ?? service.spec.name} did not stop in time and was killed; see ${service.logFile}`,
      );
    process.exit(killed.length === 0 ? 0 : 1);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => void shutdown(signal));
  try {
    await Promise.all(running.map((service) => waitUntilReady(service, 120_000)));
  } catch (error) {
    await stopServices(running);
    throw error;
  }

  console.log('\nEverything is up:');
  console.log(
    `  Kafka               ${endpoints.kafkaBrokers.join(',')}  (${endpoints.sources.kafkaBrokers})`,
  );
  console.log(
    `  Schema registry     ${redactCredentials(endpoints.schemaRegistryUrl)}  (${endpoints.sources.schemaRegistryUrl})`,
  );
  console.log(
    `  MongoDB wire        ${redactCredentials(endpoints.mongodbUri)}  (${endpoints.sources.mongodbUri})`,
  );
  console.log('  Admin UI            http://127.0.0.1:8080/');
  console.log('  API                 http://127.0.0.1:8080/api/webhooks  (Authorization: Bearer <key>)');
  console.log(
    process.env.WEBHOOKS_ADMIN_KEY
      ? '  Admin API key       from WEBHOOKS_ADMIN_KEY'
      : `  Admin API key       ${credentials.adminKey}  (kept in ${credentials.adminKeyFile})`,
  );
  for (const service of services) {
    const label = service.tier ? `retrier-${service.tier}` : service.name;
    console.log(`  ${label.padEnd(20)}http://127.0.0.1:${service.port}/metrics  /healthz  /readyz`);
  }
  console.log(`  Service logs        ${logsDir}`);
  console.log(
    mailCatcher
      ? `  Failure emails      ${mailCatcher.url}  (local catcher; messages in ${join(loadStackLayout().runDir, 'mail')})`
      : `  Failure emails      via ${new URL(process.env.SMTP_URL as string).host}`,
  );
  if (process.env.WEBHOOKS_ALLOWED_TARGETS === undefined) {
    console.log(
      `\nDemo mode: WEBHOOKS_ALLOWED_TARGETS=${demoAllowedTargets} lets webhooks reach loopback, which the` +
        '\nSSRF guard refuses by default. Set WEBHOOKS_ALLOWED_TARGETS= (empty) to run with the production rule.',
    );
  }
  console.log(
    '\nTry it: npm run events:demo   (creates a webhook to a local receiver and publishes an event)',
  );
  console.log('Ctrl-C stops the services; npm run stack:down stops the stack.');

  const firstExit = await Promise.race(
    running.map(async (service) => ({ service, code: await service.exited })),
  );
  if (stopping) return new Promise<void>(() => {});
  await stopServices(running);
  throw new Error(
    `${firstExit.service.spec.name} exited with ${firstExit.code}; see ${firstExit.service.logFile}`,
  );
});
