export {
  type ApiKeyRecord,
  ApiKeyRepository,
  type HashKey,
  newApiKey,
  type SeedOutcome,
} from './api-key-repository';
export { estimatedKeyBits, minimumKeyBits } from './api-key-strength';
export {
  type AccessVerdict,
  accessToGoodsOwner,
  accessToWebhook,
  type OwnerScope,
  type Principal,
} from './principal';
