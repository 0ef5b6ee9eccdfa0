export type { EndpointSource, Endpoints } from './endpoints';
export { endpointVariables, resolveEndpoints } from './resolve-endpoints';
