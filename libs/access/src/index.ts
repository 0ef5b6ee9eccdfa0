export {
  type ApiKeyRecord,
  ApiKeyRepository,
  hashApiKey,
  newApiKey,
  seededAdminKeyId,
} from './api-key-repository';
export {
  type AccessVerdict,
  accessToGoodsOwner,
  accessToWebhook,
  type OwnerScope,
  type Principal,
} from './principal';
