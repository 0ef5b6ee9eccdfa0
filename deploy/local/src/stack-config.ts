import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, port, positiveInt } from '@wms-webhooks/config';
import { z } from 'zod';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every version, port and folder of the native stack, pinned here and overridable by environment. */
export const stackSchema = z.object({
  STACK_KAFKA_VERSION: z
    .string()
    .regex(/^3\.9\.\d+$/, 'must be an Apache Kafka 3.9.x version')
    .default('3.9.1')
    .describe('Apache Kafka to run: any 3.9.x.'),
  STACK_APICURIO_VERSION: z
    .string()
    .regex(/^3\.\d+\.\d+$/, 'must be an Apicurio Registry 3.x version')
    .default('3.0.9')
    .describe('Apicurio Registry to run: 3.x; 3.1 and later need Java 21.'),
  STACK_FERRETDB_VERSION: z
    .string()
    .regex(/^1\.24\.\d+$/, 'must be a FerretDB 1.24.x version')
    .default('1.24.0')
    .describe('FerretDB to build: any 1.24.x.'),
  STACK_KAFKA_NODES: z.coerce
    .number()
    .refine((nodes) => nodes === 1 || nodes === 3, 'must be 1 or 3')
    .default(1)
    .describe(
      'KRaft nodes, each broker and controller. `3`: a replicated cluster (3 copies, 2 in sync) as production runs, node n on the first ports + 1000 × (n − 1); `stack:reset` to change it (docs/deploy.md).',
    ),
  STACK_KAFKA_PORT: port().default(9092).describe("Kafka's PLAINTEXT listener."),
  STACK_KAFKA_CONTROLLER_PORT: port().default(9093).describe("Kafka's KRaft controller listener."),
  STACK_KAFKA_SASL_PORT: port()
    .default(9094)
    .describe(
      'A SASL_SSL listener (SCRAM-SHA-256/512, and OAUTHBEARER with unsigned tokens), for the secured path (docs/security.md).',
    ),
  STACK_REGISTRY_PORT: port().default(8081).describe("The registry's HTTP port (the api takes 8080)."),
  STACK_MONGO_PORT: port().default(27017).describe("FerretDB's MongoDB wire protocol port."),
  STACK_FERRETDB_DEBUG_PORT: port().default(8088).describe("FerretDB's metrics and debug port."),
  STACK_KAFKA_HEAP: z
    .string()
    .regex(/^\d+[mg]$/, 'must be a JVM heap size such as 512m or 1g')
    .default('1g')
    .describe("Kafka's JVM heap."),
  STACK_REGISTRY_HEAP: z
    .string()
    .regex(/^\d+[mg]$/, 'must be a JVM heap size such as 512m or 1g')
    .default('512m')
    .describe("The registry's JVM heap."),
  STACK_READY_TIMEOUT_SECONDS: positiveInt()
    .default(180)
    .describe('How long `stack:up` waits for each component to be ready.'),
  STACK_DIR: z
    .string()
    .default(join(packageDir, '.run'))
    .meta({ description: 'Data, logs and pid files.', defaultText: '`deploy/local/.run`' }),
  STACK_CACHE_DIR: z
    .string()
    .default(join(homedir(), '.cache', 'wms-webhooks'))
    .meta({
      description:
        'Downloads: the Maven repository, Kafka jars, Apicurio, Go modules, the FerretDB binary, Node.js for CI.',
      defaultText: '`~/.cache/wms-webhooks`',
    }),
  MAVEN_CENTRAL_URL: z
    .string()
    .url()
    .default('https://repo.maven.apache.org/maven2')
    .describe('Where Kafka and the Apicurio archive are fetched from.'),
});

export type StackSettings = z.infer<typeof stackSchema>;

export interface StackLayout {
  settings: StackSettings;
  packageDir: string;
  runDir: string;
  logsDir: string;
  pidsDir: string;
  dataDir: string;
  cacheDir: string;
  mavenRepo: string;
  kafka: {
    version: string;
    libsDir: string;
    nodes: KafkaNode[];
    /** Copies of each partition the cluster's topics get by default, and how many must be in sync. */
    replication: { factor: number; minInsync: number };
    clusterIdFile: string;
    /** The node count the data was formatted for: a cluster cannot change it in place. */
    nodeCountFile: string;
    /** The SASL_SSL listener's keystore, its certificate (clients' CA) and the SCRAM user's password. */
    securityDir: string;
  };
  registry: { version: string; homeDir: string; dataDir: string };
  ferretdb: { version: string; binary: string; dataDir: string; stateDir: string };
}

/** One KRaft node of the local cluster: broker and controller in one process. */
export interface KafkaNode {
  id: number;
  /** Its stack component: kafka for the first node, kafka-2 and kafka-3 for the others. */
  name: string;
  port: number;
  controllerPort: number;
  saslPort: number;
  configFile: string;
  dataDir: string;
}

const nodePortStep = 1000;

function kafkaNodes(settings: StackSettings, runDir: string, dataDir: string): KafkaNode[] {
  return Array.from({ length: settings.STACK_KAFKA_NODES }, (_, index) => {
    const id = index + 1;
    const suffix = id === 1 ? '' : `-${id}`;
    const offset = index * nodePortStep;
    return {
      id,
      name: `kafka${suffix}`,
      port: settings.STACK_KAFKA_PORT + offset,
      controllerPort: settings.STACK_KAFKA_CONTROLLER_PORT + offset,
      saslPort: settings.STACK_KAFKA_SASL_PORT + offset,
      configFile: join(runDir, 'kafka', `server${suffix}.properties`),
      dataDir: join(dataDir, `kafka${suffix}`),
    };
  });
}

export function loadStackLayout(env: Record<string, string | undefined> = process.env): StackLayout {
  const settings = loadConfig(stackSchema, env);
  const runDir = resolve(settings.STACK_DIR);
  const cacheDir = resolve(settings.STACK_CACHE_DIR);
  const dataDir = join(runDir, 'data');
  return {
    settings,
    packageDir,
    runDir,
    logsDir: join(runDir, 'logs'),
    pidsDir: join(runDir, 'pids'),
    dataDir,
    cacheDir,
    mavenRepo: join(cacheDir, 'm2'),
    kafka: {
      version: settings.STACK_KAFKA_VERSION,
      libsDir: join(cacheDir, `kafka-${settings.STACK_KAFKA_VERSION}`, 'libs'),
      nodes: kafkaNodes(settings, runDir, dataDir),
      replication:
        settings.STACK_KAFKA_NODES === 1 ? { factor: 1, minInsync: 1 } : { factor: 3, minInsync: 2 },
      clusterIdFile: join(dataDir, 'kafka-cluster-id'),
      nodeCountFile: join(dataDir, 'kafka-nodes'),
      securityDir: join(dataDir, 'kafka-security'),
    },
    registry: {
      version: settings.STACK_APICURIO_VERSION,
      homeDir: join(cacheDir, `apicurio-registry-${settings.STACK_APICURIO_VERSION}`),
      dataDir: join(dataDir, 'registry'),
    },
    ferretdb: {
      version: settings.STACK_FERRETDB_VERSION,
      binary: join(cacheDir, `ferretdb-${settings.STACK_FERRETDB_VERSION}`, 'bin', 'ferretdb'),
      dataDir: join(dataDir, 'ferretdb'),
      stateDir: join(dataDir, 'ferretdb-state'),
    },
  };
}

export interface NativeEndpoints {
  kafkaBrokers: string[];
  schemaRegistryUrl: string;
  mongodbUri: string;
}

export function nativeEndpoints(layout: StackLayout): NativeEndpoints {
  const { settings } = layout;
  return {
    kafkaBrokers: layout.kafka.nodes.map((node) => `127.0.0.1:${node.port}`),
    schemaRegistryUrl: `http://127.0.0.1:${settings.STACK_REGISTRY_PORT}/apis/ccompat/v7`,
    mongodbUri: `mongodb://127.0.0.1:${settings.STACK_MONGO_PORT}`,
  };
}

/** How a client reaches the local stack's SASL_SSL listener: trust its certificate, log in as its user. */
export interface SecuredKafkaListener {
  brokers: string[];
  caFile: string;
  username: string;
  passwordFile: string;
}

export function securedKafkaListener(layout: StackLayout): SecuredKafkaListener {
  return {
    brokers: layout.kafka.nodes.map((node) => `127.0.0.1:${node.saslPort}`),
    caFile: join(layout.kafka.securityDir, 'broker.pem'),
    username: 'wms-webhooks',
    passwordFile: join(layout.kafka.securityDir, 'scram-password'),
  };
}
