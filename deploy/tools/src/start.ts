import { applyCatalogue } from '@wms-webhooks/contracts';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import { connectTools } from './connect';
import { runTool } from './run-tool';

/**
 * `npm start`: resolves the endpoints (bringing the native stack up where nothing else is configured),
 * applies the topic catalogue and schemas, and prints where everything is. The stack keeps running.
 */
runTool(async () => {
  const endpoints = await resolveEndpoints({ start: true, log: (line) => console.log(line) });
  const { admin, serde } = connectTools(endpoints, 'wms-start');
  await admin.connect();
  try {
    const report = await applyCatalogue(admin, serde);
    console.log('\nTopics:');
    for (const topic of report.topics) console.log(`  ${topic.topic}: ${topic.action}`);
    console.log('Schemas:');
    for (const schema of report.schemas) console.log(`  ${schema.subject}: id ${schema.id}`);
  } finally {
    await admin.disconnect();
  }
  console.log('\nEndpoints:');
  console.log(`  Kafka            ${endpoints.kafkaBrokers.join(',')}  (${endpoints.sources.kafkaBrokers})`);
  console.log(`  Schema registry  ${endpoints.schemaRegistryUrl}  (${endpoints.sources.schemaRegistryUrl})`);
  console.log(`  MongoDB wire     ${endpoints.mongodbUri}  (${endpoints.sources.mongodbUri})`);
  console.log('\nThe stack keeps running: npm run stack:status, npm run stack:down.');
});
