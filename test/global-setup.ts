import { type Endpoints, resolveEndpoints } from '@wms-webhooks/endpoints';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: Endpoints;
  }
}

/**
 * Resolves the stack once per test run (environment, testcontainers, or the native stack, started if
 * needed) and hands the endpoints to every test file. What this run started, it stops, unless
 * WMS_STACK_KEEP=true asks to keep it for the next run.
 */
export default async function setup(project: TestProject) {
  const resolved = await resolveEndpoints({ start: true, log: (line) => console.log(line) });
  project.provide('endpoints', {
    kafkaBrokers: resolved.kafkaBrokers,
    schemaRegistryUrl: resolved.schemaRegistryUrl,
    mongodbUri: resolved.mongodbUri,
  });
  return async () => {
    if (process.env.WMS_STACK_KEEP !== 'true') await resolved.release();
  };
}
