export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor?: number;
  cleanupPolicy: CleanupPolicy;
  /** Milliseconds, or -1 for forever. */
  retentionMs: number;
  /** The largest record batch the broker accepts (max.message.bytes); producers keep every request under it. */
  maxMessageBytes: number;
  /** Further topic configs, by their Kafka names. */
  config?: Record<string, string>;
}

/** The Kafka config entries a spec asks for, by name. */
export function topicConfigEntries(spec: TopicSpec): Record<string, string> {
  return {
    'cleanup.policy': spec.cleanupPolicy,
    'retention.ms': String(spec.retentionMs),
    'max.message.bytes': String(spec.maxMessageBytes),
    ...spec.config,
  };
}
