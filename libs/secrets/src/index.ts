export { loadSecretBox, newSecretKey, parseKeyring, secretKeyEnv } from './keyring';
export { SecretBox, SecretDecryptError, type SecretKey } from './secret-box';
