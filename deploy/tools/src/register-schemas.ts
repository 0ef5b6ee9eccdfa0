import { registerCatalogueSchemas } from '@wms-webhooks/contracts';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import { connectTools } from './connect';
import { runTool } from './run-tool';

runTool(async () => {
  const endpoints = await resolveEndpoints({ start: false });
  const { serde } = connectTools(endpoints, 'wms-tools-schemas');
  for (const { subject, id } of await registerCatalogueSchemas(serde)) {
    console.log(`${subject}: schema id ${id} (BACKWARD)`);
  }
});
