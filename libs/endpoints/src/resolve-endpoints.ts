import { brokerList, httpUrl, loadConfig, mongoUri } from '@wms-webhooks/config';
import { z } from 'zod';
import { dockerEngineAnswers, startContainers } from './docker-endpoints';
import type { EndpointSource, Endpoints, ProvidedEndpoints, ResolvedEndpoints } from './endpoints';
import { configuredNativeEndpoints, startNativeStack } from './native-endpoints';

/** The endpoint variables; services merge them into their own schema so start-up checks all at once. */
export const endpointVariables = {
  KAFKA_BROKERS: brokerList().optional(),
  SCHEMA_REGISTRY_URL: httpUrl().optional(),
  MONGODB_URI: mongoUri().optional(),
  WMS_STACK: z
    .enum(['auto', 'native', 'testcontainers'])
    .default('auto')
    .describe(
      'Tools and tests: which provider fills the endpoints the three variables above leave unset; `auto` takes testcontainers where a Docker engine answers, else the native stack.',
    ),
};

const endpointEnv = z.object(endpointVariables);

export interface ResolveOptions {
  /**
   * false (services): use what the environment names, else the native stack's configured endpoints,
   * starting nothing. true (tests and tools): start containers or the native stack when needed.
   */
  start: boolean;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/**
 * The one place endpoints come from. Each of KAFKA_BROKERS, SCHEMA_REGISTRY_URL and MONGODB_URI that is
 * set wins. The rest come from testcontainers where a Docker engine answers, otherwise from the native
 * stack (WMS_STACK=native|testcontainers forces one).
 */
export async function resolveEndpoints(options: ResolveOptions): Promise<ResolvedEndpoints> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const config = loadConfig(endpointEnv, env);
  const fromEnv: Partial<Endpoints> = {
    kafkaBrokers: config.KAFKA_BROKERS,
    schemaRegistryUrl: config.SCHEMA_REGISTRY_URL,
    mongodbUri: config.MONGODB_URI,
  };
  const keys = ['kafkaBrokers', 'schemaRegistryUrl', 'mongodbUri'] as const;
  const unset = keys.filter((key) => fromEnv[key] === undefined);

  let provided: ProvidedEndpoints = { endpoints: configuredNativeEndpoints(env), release: async () => {} };
  let fallback: EndpointSource = 'native';
  if (unset.length > 0 && options.start) {
    const useContainers =
      config.WMS_STACK === 'testcontainers' ||
      (config.WMS_STACK === 'auto' && (await dockerEngineAnswers(env)));
    if (useContainers) {
      log('[endpoints] starting Kafka, MongoDB and Apicurio containers with testcontainers');
      provided = await startContainers();
      fallback = 'testcontainers';
    } else {
      provided = await startNativeStack(env, log);
    }
  }

  const pick = <K extends (typeof keys)[number]>(key: K): Endpoints[K] =>
    fromEnv[key] ?? provided.endpoints[key];
  return {
    kafkaBrokers: pick('kafkaBrokers'),
    schemaRegistryUrl: pick('schemaRegistryUrl'),
    mongodbUri: pick('mongodbUri'),
    sources: Object.fromEntries(keys.map((key) => [key, fromEnv[key] ? 'env' : fallback])) as Record<
      keyof Endpoints,
      EndpointSource
    >,
    release: provided.release,
  };
}
