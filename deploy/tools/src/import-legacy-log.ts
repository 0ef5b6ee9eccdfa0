import { loadConfig } from '@wms-webhooks/config';
import {
  AttemptLogRepository,
  attemptLogEnv,
  hasLegacyLog,
  importLegacyLog,
  retentionMsOf,
} from '@wms-webhooks/delivery';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import { MongoClient } from 'mongodb';
import { z } from 'zod';
import { runTool } from './run-tool';

const importEnv = z.object({
  ...attemptLogEnv,
  MONGODB_DATABASE: z.string().default('wms_webhooks'),
});

/**
 * `npm run logs:import-legacy`: moves the attempts an earlier version logged into one collection
 * (`delivery_attempts`) into the time buckets the Logs read, then drops that collection. Run it once after
 * upgrading; the api warns at start while the old collection exists.
 */
runTool(async () => {
  const config = loadConfig(importEnv, process.env);
  const endpoints = await resolveEndpoints({ start: false });
  const client = await MongoClient.connect(endpoints.mongodbUri);
  try {
    const db = client.db(config.MONGODB_DATABASE);
    const logs = new AttemptLogRepository(db, {
      retentionMs: retentionMsOf(config.WEBHOOKS_LOG_RETENTION_DAYS),
    });
    if (!(await hasLegacyLog(db))) {
      console.log(`no delivery_attempts collection in ${config.MONGODB_DATABASE}: nothing to import`);
      return;
    }
    const moved = await importLegacyLog(db, logs, (count) =>
      console.log(`${count} attempts in their buckets`),
    );
    console.log(`${moved} attempts within the retention are in their buckets; delivery_attempts dropped`);
  } finally {
    await client.close();
  }
});
