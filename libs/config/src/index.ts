export { ConfigError, type ConfigIssue } from './config-error';
export { describeEnv, type EnvVariableDoc } from './env-docs';
export { booleanFlag, brokerList, httpUrl, mongoUri, port, positiveInt } from './env-types';
export { loadConfig } from './load-config';
export {
  basicAuthorization,
  credentialName,
  redactCredentials,
  splitUrlCredentials,
} from './url-credentials';
