import { catalogueEntries, topicReplicationFromEnv } from '@wms-webhooks/contracts';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import { ensureTopics } from '@wms-webhooks/kafka';
import { connectTools } from './connect';
import { runTool } from './run-tool';

runTool(async () => {
  const endpoints = await resolveEndpoints({ start: false });
  const { admin } = connectTools(endpoints, 'wms-tools-topics');
  try {
    const changes = await ensureTopics(
      admin,
      catalogueEntries('', topicReplicationFromEnv()).map((entry) => entry.spec),
    );
    for (const change of changes)
      console.log(`${change.topic}: ${change.action}${change.detail ? ` (${change.detail})` : ''}`);
  } finally {
    await admin.close();
  }
});
