import { launchService, waitUntilReady } from '@wms-webhooks/tools';

/**
 * A supervisor of one service, run as its own process by tests that kill it: starts the service named by
 * the first argument with this process's environment, and once it is ready prints its pid.
 */
const [name, readyUrl, logsDir] = process.argv.slice(2) as [string, string, string];
const service = launchService({ name, readyUrl, env: process.env }, logsDir);
await waitUntilReady(service, 60_000);
console.log(JSON.stringify({ pid: service.child.pid }));
setInterval(() => {}, 60_000);
