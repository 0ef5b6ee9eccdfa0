import { buildAdminUi } from '@wms-webhooks/admin-ui';
import { type Endpoints, resolveEndpoints } from '@wms-webhooks/endpoints';
import { missingTools, nodeVersionProblem } from '@wms-webhooks/local-stack';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: Endpoints;
  }
}

/**
 * Builds the admin UI if its sources changed, and resolves the stack once per test run (environment, testcontainers, or the native stack, started if
 * needed) and hands the endpoints to every test file. What this run started, it stops, unless
 * WMS_STACK_KEEP=true asks to keep it for the next run.
 */
export default async function setup(project: TestProject) {
  await requirePrerequisites();
  // Once, before the files that serve or bundle the UI run side by side and would each build it.
  const [resolved] = await Promise.all([
    resolveEndpoints({ start: true, log: (line) => console.log(line) }),
    buildAdminUi(),
  ]);
  project.provide('endpoints', {
    kafkaBrokers: resolved.kafkaBrokers,
    schemaRegistryUrl: resolved.schemaRegistryUrl,
    mongodbUri: resolved.mongodbUri,
  });
  return async () => {
    if (process.env.WMS_STACK_KEEP !== 'true') await resolved.release();
  };
}

/**
 * The tools the integration tests drive besides the stack (whose own tools the stack checks when it
 * starts): stops the run at once, naming each missing one and how to get it, rather than failing
 * deep inside a test.
 */
async function requirePrerequisites() {
  const problems = [
    nodeVersionProblem(),
    ...(await missingTools(['prometheus', 'promtool', 'chromium', 'curl'])),
  ];
  const missing = problems.filter((problem) => problem !== undefined);
  if (missing.length > 0) {
    throw new Error(
      `The integration tests need (see the README's prerequisites):\n  ${missing.join('\n  ')}`,
    );
  }
}
