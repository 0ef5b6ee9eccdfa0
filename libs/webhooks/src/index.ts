export { definitionsReady, WebhookChangePublisher } from './change-feed';

export { authHeaderValue, connectionLevelHeaders, sentAuthHeaderName } from './http-rules';
export { matchWebhooks } from './matching';
export { newSigningSecret, type PublicWebhook, toPublicWebhook } from './public-view';
export { definitionsEnv, followServiceDefinitions } from './service-definitions';

export type { RetryPolicy, Webhook, WebhookSettings } from './webhook';
export { WebhookContacts } from './webhook-contacts';
export { parseWebhookSettings, webhookSettingsInput } from './webhook-input';
export { WebhookRepository } from './webhook-repository';
