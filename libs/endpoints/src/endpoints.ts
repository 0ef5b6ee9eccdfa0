export interface Endpoints {
  kafkaBrokers: string[];
  schemaRegistryUrl: string;
  mongodbUri: string;
}

export type EndpointSource = 'env' | 'testcontainers' | 'native';

export interface ResolvedEndpoints extends Endpoints {
  /** Where each endpoint came from. */
  sources: Record<keyof Endpoints, EndpointSource>;
  /** Stops what this resolution started (containers, or a native stack it brought up from cold). */
  release(): Promise<void>;
}

export interface ProvidedEndpoints {
  endpoints: Endpoints;
  release(): Promise<void>;
}
