import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

const rulesDir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'deploy',
  'prometheus',
  'rules',
);

/** A real Prometheus on loopback, scraping the given services every second with the project's rules. */
export async function startPrometheus(targets: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'it-prometheus-'));
  const port = await freePort();
  const scrapeConfigs = Object.entries(targets)
    .map(
      ([name, url]) => `  - job_name: wms-webhooks-${name}
    static_configs:
      - targets: ['${new URL(url).host}']`,
    )
    .join('\n');
  await writeFile(
    join(dir, 'prometheus.yml'),
    `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - ${join(rulesDir, 'recording.yml')}
  - ${join(rulesDir, 'alerts.yml')}
scrape_configs:
${scrapeConfigs}
`,
  );
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/-/ready`)).ok || undefined, {
    timeoutMs: 30_000,
    message: 'Prometheus to be ready',
  });
  return {
    url,
    /** The value of an instant query's single result, or undefined while it has none. */
    async value(query: string): Promise<number | undefined> {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
      const body = (await response.json()) as { data: { result: Array<{ value: [number, string] }> } };
      const first = body.data.result[0];
      return first ? Number(first.value[1]) : undefined;
    },
    stop: () =>
      new Promise<void>((stopped) => {
        child.once('exit', () => stopped());
        child.kill('SIGTERM');
      }),
  };
}
