export {
  type DefinitionFollower,
  definitionsReady,
  type FollowOptions,
  followDefinitions,
  type LoadDefinitionsOptions,
  loadDefinitions,
  WebhookChangePublisher,
} from './change-feed';
export { DefinitionCache, type DefinitionSource } from './definition-cache';
export { authHeaderValue, connectionLevelHeaders, sentAuthHeaderName } from './http-rules';
export { coversGoodsOwner, matchWebhooks, passesFilters } from './matching';
export { newSigningSecret, type PublicWebhook, secretMask, toPublicWebhook } from './public-view';
export { type DefinitionsContext, definitionsEnv, followServiceDefinitions } from './service-definitions';
export type { RetryPolicy, Webhook, WebhookAuth, WebhookKind, WebhookSettings } from './webhook';
export { WebhookContacts, type WebhookContactView } from './webhook-contacts';
export {
  type FieldProblem,
  type ParseResult,
  parseWebhookSettings,
  webhookSettingsInput,
} from './webhook-input';
export { WebhookRepository } from './webhook-repository';
