import type { StackComponent } from '../component';
import type { StackLayout } from '../stack-config';
import { ferretdbComponent } from './ferretdb';
import { kafkaNodeComponent } from './kafka';
import { registryComponent } from './registry';

/** Every process of the stack: one per Kafka node (STACK_KAFKA_NODES), the registry and the store. */
export function stackComponents(layout: StackLayout): StackComponent[] {
  return [...layout.kafka.nodes.map(kafkaNodeComponent), registryComponent, ferretdbComponent];
}
