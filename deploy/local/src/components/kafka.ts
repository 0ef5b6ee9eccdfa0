import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StackComponent } from '../component';
import { copyDependencies } from '../maven';
import { probeKafka } from '../probes';
import { runCommand } from '../run-command';
import { type KafkaNode, type StackLayout, securedKafkaListener } from '../stack-config';

const completeMarker = '.complete';

function classPath(layout: StackLayout): string {
  return join(layout.kafka.libsDir, '*');
}

/** One of Kafka's command-line tools, from the same jars as the broker. */
function kafkaTool(layout: StackLayout, mainClass: string, args: string[]) {
  return runCommand('java', [
    '-cp',
    classPath(layout),
    `-Dlog4j.configuration=file:${join(layout.packageDir, 'kafka', 'log4j.properties')}`,
    mainClass,
    ...args,
  ]);
}

const keystoreFile = (layout: StackLayout) => join(layout.kafka.securityDir, 'broker.p12');
const keystorePasswordFile = (layout: StackLayout) => join(layout.kafka.securityDir, 'keystore-password');
const scramMarker = (layout: StackLayout) => join(layout.kafka.securityDir, 'scram-user.done');

export function serverProperties(layout: StackLayout, node: KafkaNode, keystorePassword: string): string {
  const { port, controllerPort, saslPort } = node;
  const voters = layout.kafka.nodes.map((each) => `${each.id}@127.0.0.1:${each.controllerPort}`).join(',');
  const { factor, minInsync } = layout.kafka.replication;
  const loginModule = (name: string) => `org.apache.kafka.common.security.${name} required;`;
  return `# Written by the local stack on every start; edit deploy/local/src/components/kafka.ts instead.
process.roles=broker,controller
node.id=${node.id}
controller.quorum.voters=${voters}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort},SASL_SSL://127.0.0.1:${saslPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port},SASL_SSL://127.0.0.1:${saslPort}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL
controller.listener.names=CONTROLLER
# The secured listener, so TLS and SASL are tested as services use them against a production cluster.
# OAUTHBEARER here takes unsigned tokens (Kafka's default validator): for tests only.
listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=${loginModule('scram.ScramLoginModule')}
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${loginModule('scram.ScramLoginModule')}
listener.name.sasl_ssl.oauthbearer.sasl.jaas.config=${loginModule('oauthbearer.OAuthBearerLoginModule')}
listener.name.sasl_ssl.ssl.keystore.type=PKCS12
listener.name.sasl_ssl.ssl.keystore.location=${keystoreFile(layout)}
listener.name.sasl_ssl.ssl.keystore.password=${keystorePassword}
listener.name.sasl_ssl.ssl.key.password=${keystorePassword}
inter.broker.listener.name=PLAINTEXT
log.dirs=${node.dataDir}
num.partitions=1
default.replication.factor=${factor}
min.insync.replicas=${minInsync}
offsets.topic.replication.factor=${factor}
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=${factor}
transaction.state.log.min.isr=${minInsync}
share.coordinator.state.topic.replication.factor=${factor}
group.initial.rebalance.delay.ms=0
# Topics come from the project's catalogue, so a typo in a topic name fails instead of creating a stray topic.
auto.create.topics.enable=false
delete.topic.enable=true
log.retention.hours=168
`;
}

/** A KRaft cluster id is 16 random bytes in URL-safe base64 without padding. */
function newClusterId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * One KRaft node of the local cluster. Every node shares one download, one cluster id and one keystore;
 * the first also makes the SASL user, which the cluster's metadata then holds for all.
 */
export function kafkaNodeComponent(node: KafkaNode): StackComponent {
  const address = `127.0.0.1:${node.port}`;
  return {
    name: node.name,
    title: node.id === 1 ? 'Apache Kafka (KRaft)' : `Apache Kafka (KRaft) node ${node.id}`,
    installKey: 'kafka',
    installTools: ['mvn', 'java'],
    runTools: ['java'],
    version: (layout) => layout.kafka.version,
    endpoint: () => address,
    ports: () => [
      { port: node.port, variable: 'STACK_KAFKA_PORT' },
      { port: node.controllerPort, variable: 'STACK_KAFKA_CONTROLLER_PORT' },
      { port: node.saslPort, variable: 'STACK_KAFKA_SASL_PORT' },
    ],
    isInstalled: (layout) => existsSync(join(layout.kafka.libsDir, completeMarker)),

    async install(layout) {
      await mkdir(layout.kafka.libsDir, { recursive: true });
      await copyDependencies(layout, join(layout.packageDir, 'kafka', 'pom.xml'), {
        'kafka.version': layout.kafka.version,
        'kafka.libs': layout.kafka.libsDir,
      });
      await writeFile(join(layout.kafka.libsDir, completeMarker), `${new Date().toISOString()}\n`);
    },

    async prepare(layout) {
      await mkdir(dirname(node.configFile), { recursive: true });
      await writeFile(node.configFile, serverProperties(layout, node, await ensureKeystore(layout)));
      const clusterId = await clusterIdFor(layout);
      if (existsSync(join(node.dataDir, 'meta.properties'))) return;
      await mkdir(node.dataDir, { recursive: true });
      await kafkaTool(layout, 'kafka.tools.StorageTool', [
        'format',
        '--ignore-formatted',
        // The = form, because a random id may begin with '-'.
        `--cluster-id=${clusterId}`,
        '-c',
        node.configFile,
      ]);
    },

    launch: async (layout) => ({
      command: 'java',
      args: [
        '-Xms256m',
        `-Xmx${layout.settings.STACK_KAFKA_HEAP}`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-Djava.awt.headless=true',
        `-Dwms.stack.dir=${layout.runDir}`,
        `-Dlog4j.configuration=file:${join(layout.packageDir, 'kafka', 'log4j.properties')}`,
        '-cp',
        classPath(layout),
        'kafka.Kafka',
        node.configFile,
      ],
    }),

    probe: (layout) => probeKafka([address], { replicas: layout.kafka.replication.factor }),

    /** The SASL listener's user, made once per data directory through the plaintext listener. */
    async afterReady(layout) {
      if (node.id !== 1 || existsSync(scramMarker(layout))) return;
      const { username, passwordFile } = securedKafkaListener(layout);
      const password = await readOrCreateSecret(passwordFile);
      // One mechanism per request: the broker refuses to alter a user's credentials twice in one.
      for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
        await kafkaTool(layout, 'kafka.admin.ConfigCommand', [
          '--bootstrap-server',
          address,
          '--alter',
          '--add-config',
          `${mechanism}=[iterations=8192,password=${password}]`,
          '--entity-type',
          'users',
          '--entity-name',
          username,
        ]);
      }
      await writeFile(scramMarker(layout), `${new Date().toISOString()}\n`);
    },
  };
}

/**
 * The cluster id every node is formatted with, made with the first node's data. Data made for another
 * node count cannot join: its quorum is fixed when formatted, so that stops the start with the way out.
 */
function clusterIdFor(layout: StackLayout): Promise<string> {
  return once(`cluster-id:${layout.kafka.clusterIdFile}`, async () => {
    const nodes = String(layout.kafka.nodes.length);
    // Data from before the node count was recorded is a single node's.
    const formatted = existsSync(layout.kafka.nodeCountFile)
      ? (await readFile(layout.kafka.nodeCountFile, 'utf8')).trim()
      : existsSync(join(layout.kafka.nodes[0]?.dataDir ?? '', 'meta.properties'))
        ? '1'
        : nodes;
    if (formatted !== nodes) {
      throw new Error(
        `the stack's Kafka data in ${layout.dataDir} was made for ${formatted} node(s), STACK_KAFKA_NODES asks for ${nodes}; ` +
          'run npm run stack:reset to start over (it deletes topics, schemas and documents), or set STACK_DIR to another folder',
      );
    }
    await mkdir(dirname(layout.kafka.clusterIdFile), { recursive: true });
    await writeFile(layout.kafka.nodeCountFile, `${nodes}\n`);
    if (!existsSync(layout.kafka.clusterIdFile))
      await writeFile(layout.kafka.clusterIdFile, `${newClusterId()}\n`);
    return (await readFile(layout.kafka.clusterIdFile, 'utf8')).trim();
  });
}

const pending = new Map<string, Promise<string>>();

/** The nodes prepare at once; what they share is made by the first to ask and awaited by the rest. */
function once(key: string, make: () => Promise<string>): Promise<string> {
  let promise = pending.get(key);
  if (!promise) {
    promise = make().finally(() => pending.delete(key));
    pending.set(key, promise);
  }
  return promise;
}

/** A random secret kept in a file (mode 600), made the first time it is asked for. */
async function readOrCreateSecret(file: string): Promise<string> {
  if (!existsSync(file)) {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, `${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
  }
  return (await readFile(file, 'utf8')).trim();
}

/**
 * The SASL_SSL listener's key and self-signed certificate for 127.0.0.1 and localhost, made once with the
 * JDK's keytool (no openssl needed); the certificate, exported as PEM, is what clients trust.
 */
function ensureKeystore(layout: StackLayout): Promise<string> {
  return once(`keystore:${keystoreFile(layout)}`, () => makeKeystore(layout));
}

async function makeKeystore(layout: StackLayout): Promise<string> {
  const password = await readOrCreateSecret(keystorePasswordFile(layout));
  const { caFile } = securedKafkaListener(layout);
  if (existsSync(keystoreFile(layout)) && existsSync(caFile)) return password;
  const keytool = (...args: string[]) => runCommand('java', ['sun.security.tools.keytool.Main', ...args]);
  const store = ['-keystore', keystoreFile(layout), '-storetype', 'PKCS12', '-storepass', password];
  await rm(keystoreFile(layout), { force: true });
  await keytool(
    '-genkeypair',
    '-alias',
    'broker',
    '-keyalg',
    'EC',
    '-groupname',
    'secp256r1',
    '-sigalg',
    'SHA256withECDSA',
    '-validity',
    '3650',
    '-dname',
    'CN=localhost',
    '-ext',
    'SAN=dns:localhost,ip:127.0.0.1',
    '-keypass',
    password,
    ...store,
  );
  await keytool('-exportcert', '-rfc', '-alias', 'broker', '-file', caFile, ...store);
  return password;
}
