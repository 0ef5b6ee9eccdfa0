export { ApiKeyRepository, newApiKey } from './api-key-repository';
export { estimatedKeyBits, minimumKeyBits } from './api-key-strength';
export { accessToGoodsOwner, accessToWebhook, type Principal } from './principal';
