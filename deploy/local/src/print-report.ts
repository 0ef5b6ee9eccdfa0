import { formatTable } from './format-table';
import type { UpReport } from './stack';

export function printUpReport(report: UpReport, runDir: string, print: (line: string) => void = console.log) {
  const rows = report.components.map((component) => [
    component.name,
    component.version,
    component.endpoint,
    component.state,
    component.installSeconds === undefined ? 'cached' : `${component.installSeconds} s`,
    `${component.readySeconds} s`,
  ]);
  print(formatTable(['component', 'version', 'endpoint', 'state', 'download', 'ready'], rows));
  const fetched = report.components.filter((component) => component.installSeconds !== undefined);
  const kind =
    fetched.length > 0
      ? `cold start: downloaded or built ${fetched.map((component) => component.name).join(', ')}`
      : 'warm start: everything cached';
  print(`\nStack ready in ${report.totalSeconds} s (${kind}). Logs: ${runDir}/logs`);
  print(
    `export KAFKA_BROKERS=${report.endpoints.kafkaBrokers.join(',')} SCHEMA_REGISTRY_URL=${report.endpoints.schemaRegistryUrl} MONGODB_URI=${report.endpoints.mongodbUri}`,
  );
}
