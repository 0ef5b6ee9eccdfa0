import { ConfigError } from '@wms-webhooks/config';
import { formatTable } from './format-table';
import { printUpReport } from './print-report';
import { StackError, stackDown, stackReset, stackStatus, stackUp } from './stack';
import { loadStackLayout } from './stack-config';

const usage = 'usage: stack <up|down|status|reset>';
const log = (line: string) => console.log(`[stack] ${line}`);

async function main(command: string | undefined): Promise<number> {
  const layout = loadStackLayout();
  switch (command) {
    case 'up': {
      printUpReport(await stackUp(layout, log), layout.runDir);
      return 0;
    }
    case 'down':
    case 'reset': {
      const stopped = command === 'down' ? await stackDown(layout) : await stackReset(layout);
      for (const { name, outcome } of stopped) log(`${name}: ${outcome}`);
      if (command === 'reset')
        log(`data removed from ${layout.dataDir}; downloads kept in ${layout.cacheDir}`);
      return 0;
    }
    case 'status': {
      const rows = await stackStatus(layout);
      console.log(
        formatTable(
          ['component', 'version', 'endpoint', 'process', 'health'],
          rows.map((row) => [
            row.name,
            row.version,
            row.endpoint,
            row.process,
            row.healthy ? `ok: ${row.health}` : `DOWN: ${row.health}`,
          ]),
        ),
      );
      return rows.every((row) => row.healthy) ? 0 : 1;
    }
    default:
      console.error(usage);
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof StackError || error instanceof ConfigError)
      console.error(`[stack] ${error.message}`);
    else console.error(error);
    process.exit(1);
  },
);
