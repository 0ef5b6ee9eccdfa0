import { parseArgs } from 'node:util';
import { catalogueEntries, type QuarantinedRecord, topicNames } from '@wms-webhooks/contracts';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import { createDurableProducer, readToEnd } from '@wms-webhooks/kafka';
import { formatTable } from '@wms-webhooks/local-stack';
import { connectTools } from './connect';
import { runTool } from './run-tool';

const usage = `usage:
  npm run quarantine -- list [--prefix P]                   every quarantined record, oldest first
  npm run quarantine -- reinject <partition:offset> [--prefix P]
                                                            sends one back to the topic it came from`;

/** Marks a re-injected record, so its second quarantine (if the cause is not fixed) can be told apart. */
const reinjectedHeader = 'wms-webhooks-reinjected-from';

runTool(async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { prefix: { type: 'string', default: process.env.WEBHOOKS_TOPIC_PREFIX ?? '' } },
  });
  const [command, position] = positionals;
  if (command !== 'list' && command !== 'reinject') throw new Error(usage);
  const endpoints = await resolveEndpoints({ start: false });
  const { kafka, admin, serde } = connectTools(endpoints, 'wms-tools-quarantine');
  await admin.close();
  const topic = topicNames(values.prefix).quarantine;
  const entries = await Promise.all(
    (await readToEnd(kafka, [topic])).map(async (record) => ({
      at: `${record.partition}:${record.offset}`,
      entry: await serde.decode<QuarantinedRecord>(record.value),
    })),
  );

  if (command === 'list') {
    if (entries.length === 0) return console.log(`${topic} holds no records.`);
    console.log(
      formatTable(
        ['at', 'quarantined', 'service', 'code', 'source', 'bytes', 'reason'],
        entries.map(({ at, entry }) => [
          at,
          new Date(entry.quarantinedAt).toISOString(),
          entry.service,
          entry.errorCode,
          entry.sourcePartition < 0
            ? `${entry.sourceTopic} (never produced)`
            : `${entry.sourceTopic}[${entry.sourcePartition}]@${entry.sourceOffset}`,
          `${entry.originalSize}${entry.truncated ? ' (first bytes kept)' : ''}`,
          entry.reason.length > 120 ? `${entry.reason.slice(0, 117)}...` : entry.reason,
        ]),
      ),
    );
    return;
  }

  if (!position || !/^\d+:\d+$/.test(position))
    throw new Error(`reinject needs the record's partition:offset\n${usage}`);
  const found = entries.find(({ at }) => at === position)?.entry;
  if (!found)
    throw new Error(`${topic} holds no record at ${position}; \`npm run quarantine -- list\` shows them`);
  if (found.truncated || found.originalValue === null) {
    throw new Error(
      `${position} kept only the first ${found.originalValue?.length ?? 0} of ${found.originalSize} bytes; it cannot be re-injected`,
    );
  }
  const limits = new Map(
    catalogueEntries(values.prefix).map(({ spec }) => [spec.name, spec.maxMessageBytes]),
  );
  const producer = createDurableProducer(kafka, { maxMessageBytes: (name) => limits.get(name) });
  try {
    await producer.send(found.sourceTopic, [
      {
        key: found.originalKey,
        value: found.originalValue,
        headers: { ...found.originalHeaders, [reinjectedHeader]: `${topic}:${position}` },
      },
    ]);
  } finally {
    await producer.close();
  }
  console.log(
    `re-injected ${position} (${found.errorCode}, from ${found.service}) into ${found.sourceTopic}`,
  );
});
