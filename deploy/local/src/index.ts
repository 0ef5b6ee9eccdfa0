export type { ProbeResult } from './component';
export { formatTable } from './format-table';
export { printUpReport } from './print-report';
export { probeKafka, probeMongo, probeRegistry } from './probes';
export { CommandError, runCommand } from './run-command';
export {
  type ComponentReport,
  StackError,
  type StatusRow,
  type StopReport,
  stackDown,
  stackReset,
  stackStatus,
  stackUp,
  stopComponent,
  type UpReport,
} from './stack';
export {
  type KafkaNode,
  loadStackLayout,
  type NativeEndpoints,
  nativeEndpoints,
  type SecuredKafkaListener,
  type StackLayout,
  securedKafkaListener,
  stackSchema,
} from './stack-config';
export { missingTools, nodeVersionProblem, type Tool } from './toolchain';
