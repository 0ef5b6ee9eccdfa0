import type { StackComponent } from '../component';
import { ferretdbComponent } from './ferretdb';
import { kafkaComponent } from './kafka';
import { registryComponent } from './registry';

export const components: readonly StackComponent[] = [kafkaComponent, registryComponent, ferretdbComponent];
