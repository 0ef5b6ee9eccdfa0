import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StackComponent } from '../component';
import { copyDependencies } from '../maven';
import { probeKafka } from '../probes';
import { runCommand } from '../run-command';
import type { StackLayout } from '../stack-config';

const completeMarker = '.complete';

function classPath(layout: StackLayout): string {
  return join(layout.kafka.libsDir, '*');
}

function serverProperties(layout: StackLayout): string {
  const { STACK_KAFKA_PORT: port, STACK_KAFKA_CONTROLLER_PORT: controllerPort } = layout.settings;
  return `# Written by the local stack on every start; edit deploy/local/src/components/kafka.ts instead.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${layout.kafka.dataDir}
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
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

export const kafkaComponent: StackComponent = {
  name: 'kafka',
  title: 'Apache Kafka (KRaft)',
  installTools: ['mvn', 'java'],
  runTools: ['java'],
  version: (layout) => layout.kafka.version,
  endpoint: (layout) => `127.0.0.1:${layout.settings.STACK_KAFKA_PORT}`,
  ports: (layout) => [
    { port: layout.settings.STACK_KAFKA_PORT, variable: 'STACK_KAFKA_PORT' },
    { port: layout.settings.STACK_KAFKA_CONTROLLER_PORT, variable: 'STACK_KAFKA_CONTROLLER_PORT' },
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
    await mkdir(dirname(layout.kafka.configFile), { recursive: true });
    await writeFile(layout.kafka.configFile, serverProperties(layout));
    if (existsSync(join(layout.kafka.dataDir, 'meta.properties'))) return;
    await mkdir(layout.kafka.dataDir, { recursive: true });
    const clusterId = existsSync(layout.kafka.clusterIdFile)
      ? (await readFile(layout.kafka.clusterIdFile, 'utf8')).trim()
      : newClusterId();
    await writeFile(layout.kafka.clusterIdFile, `${clusterId}\n`);
    await runCommand('java', [
      '-cp',
      classPath(layout),
      `-Dlog4j.configuration=file:${join(layout.packageDir, 'kafka', 'log4j.properties')}`,
      'kafka.tools.StorageTool',
      'format',
      '--ignore-formatted',
      // The = form, because a random id may begin with '-'.
      `--cluster-id=${clusterId}`,
      '-c',
      layout.kafka.configFile,
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
      layout.kafka.configFile,
    ],
  }),

  probe: (layout) => probeKafka([`127.0.0.1:${layout.settings.STACK_KAFKA_PORT}`]),
};
