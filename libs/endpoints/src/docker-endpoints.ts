import { existsSync } from 'node:fs';
import type { ProvidedEndpoints } from './endpoints';

/** Images and the registry's ccompat path match the native stack's versions. */
export const containerImages = {
  kafka: 'confluentinc/cp-kafka:7.9.0',
  mongo: 'mongo:7',
  registry: 'apicurio/apicurio-registry:3.0.9',
} as const;

/** True where a Docker (or compatible) engine answers; a bare client without an engine does not count. */
export async function dockerEngineAnswers(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const socketHints = [env.DOCKER_HOST, '/var/run/docker.sock', `${env.HOME}/.docker/run/docker.sock`];
  if (!socketHints.some((hint) => hint && (hint.includes('://') || existsSync(hint)))) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export async function startContainers(): Promise<ProvidedEndpoints> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const [kafka, mongo, registry] = await Promise.all([
    new KafkaContainer(containerImages.kafka)
      .withKraft()
      .withEnvironment({
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      })
      .start(),
    new MongoDBContainer(containerImages.mongo).start(),
    new GenericContainer(containerImages.registry)
      .withExposedPorts(8080)
      .withWaitStrategy(Wait.forHttp('/health/ready', 8080).forStatusCode(200))
      .start(),
  ]);
  return {
    endpoints: {
      kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
      schemaRegistryUrl: `http://${registry.getHost()}:${registry.getMappedPort(8080)}/apis/ccompat/v7`,
      mongodbUri: `${mongo.getConnectionString()}?directConnection=true`,
    },
    release: async () => {
      await Promise.allSettled([kafka.stop(), mongo.stop(), registry.stop()]);
    },
  };
}
