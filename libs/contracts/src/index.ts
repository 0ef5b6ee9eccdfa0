export { applyCatalogue, type CatalogueReport, registerCatalogueSchemas } from './apply-catalogue';
export {
  type CatalogueEntry,
  catalogueEntries,
  catalogueSchema,
  type TopicKey,
  topicCatalogue,
} from './topic-catalogue';
export type { WmsEvent } from './wms-event';
