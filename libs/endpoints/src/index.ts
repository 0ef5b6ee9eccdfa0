export { containerImages, dockerEngineAnswers } from './docker-endpoints';
export type { EndpointSource, Endpoints, ResolvedEndpoints } from './endpoints';
export { configuredNativeEndpoints } from './native-endpoints';
export { endpointVariables, type ResolveOptions, resolveEndpoints } from './resolve-endpoints';
