export { loadSecretBox, newSecretKey, parseKeyring, secretKeyEnv } from './keyring';
export { SecretBox, SecretDecryptError } from './secret-box';
