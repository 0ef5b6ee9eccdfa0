import { type AvroSerde, ensureTopics, type TopicAdmin, type TopicChange } from '@wms-webhooks/kafka';
import { type CatalogueEntry, catalogueEntries, catalogueSchema } from './topic-catalogue';

export interface CatalogueReport {
  topics: TopicChange[];
  schemas: Array<{ subject: string; id: number }>;
}

/** Topics first, then each topic's value schema; both steps are idempotent, so every service start runs them. */
export async function applyCatalogue(
  admin: TopicAdmin,
  serde: AvroSerde,
  entries: readonly CatalogueEntry[] = catalogueEntries(),
): Promise<CatalogueReport> {
  const topics = await ensureTopics(
    admin,
    entries.map((entry) => entry.spec),
  );
  const schemas = await registerCatalogueSchemas(serde, entries);
  return { topics, schemas };
}

export async function registerCatalogueSchemas(
  serde: AvroSerde,
  entries: readonly CatalogueEntry[] = catalogueEntries(),
): Promise<CatalogueReport['schemas']> {
  const schemas: CatalogueReport['schemas'] = [];
  for (const entry of entries) {
    const id = await serde.register(entry.spec.name, catalogueSchema(entry));
    schemas.push({ subject: `${entry.spec.name}-value`, id });
  }
  return schemas;
}
