import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStackLayout, missingTools, runCommand } from '@wms-webhooks/local-stack';

/** deploy/helm/wms-webhooks, and the values files CI renders it with. */
export const chartDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'helm', 'wms-webhooks');
export const chartValuesFiles = ['minimal', 'large'].map((name) => ({
  name,
  file: join(chartDir, 'ci', `${name}-values.yaml`),
}));

/** The newest Kubernetes whose API schemas kubectl-validate carries offline; the chart is rendered for it. */
export const kubernetesVersion = '1.30';

const goTools = {
  helm: { module: 'helm.sh/helm/v3/cmd/helm', version: 'v3.22.0' },
  kubectlValidate: { module: 'sigs.k8s.io/kubectl-validate', version: 'v0.0.4' },
} as const;

/** The CustomResourceDefinitions the chart renders objects of, from their projects' Go modules. */
const crdSources = [
  {
    module: 'github.com/prometheus-operator/prometheus-operator',
    version: 'v0.85.0',
    files: ['servicemonitors', 'prometheusrules'].map(
      (kind) => `example/prometheus-operator-crd/monitoring.coreos.com_${kind}.yaml`,
    ),
  },
  {
    module: 'github.com/kedacore/keda/v2',
    version: 'v2.21.0',
    files: ['scaledobjects', 'triggerauthentications'].map((kind) => `config/crd/bases/keda.sh_${kind}.yaml`),
  },
];

export interface ChartTools {
  helm: string;
  kubectlValidate: string;
  crdsDir: string;
}

/**
 * helm and kubectl-validate built with `go install` from the Go module proxy, and the CRDs copied from
 * their modules, all kept under the stack's cache (~250 MB); the Go build cache is removed afterwards.
 */
export async function ensureChartTools(log: (line: string) => void = () => {}): Promise<ChartTools> {
  const cacheDir = loadStackLayout().cacheDir;
  const toolsDir = join(cacheDir, 'chart-tools');
  const binary = (tool: keyof typeof goTools) =>
    join(
      toolsDir,
      `${basename(goTools[tool].module)}-${goTools[tool].version}`,
      basename(goTools[tool].module),
    );
  const tools: ChartTools = {
    helm: binary('helm'),
    kubectlValidate: binary('kubectlValidate'),
    crdsDir: join(toolsDir, `crds-${crdSources.map((source) => source.version).join('-')}`),
  };
  const missing = (Object.keys(goTools) as Array<keyof typeof goTools>).filter(
    (tool) => !existsSync(binary(tool)),
  );
  const crdsMissing = !existsSync(join(tools.crdsDir, '.complete'));
  if (missing.length === 0 && !crdsMissing) return tools;

  const problems = await missingTools(['go']);
  if (problems.length > 0) throw new Error(`checking the Helm chart needs:\n  ${problems.join('\n  ')}`);
  const env = {
    ...process.env,
    GOMODCACHE: join(cacheDir, 'go', 'chart-tools-mod'),
    GOCACHE: join(cacheDir, 'go', 'chart-tools-build'),
    GOFLAGS: '-trimpath -modcacherw',
  };
  await mkdir(toolsDir, { recursive: true });
  for (const tool of missing) {
    const { module, version } = goTools[tool];
    log(`building ${basename(module)} ${version} with go install (once; kept in ${toolsDir})`);
    await mkdir(dirname(binary(tool)), { recursive: true });
    await runCommand('go', ['install', `${module}@${version}`], {
      env: { ...env, GOBIN: dirname(binary(tool)) },
      cwd: toolsDir,
    });
  }
  if (crdsMissing) {
    await mkdir(tools.crdsDir, { recursive: true });
    for (const source of crdSources) {
      log(`copying the CRDs of ${source.module} ${source.version}`);
      const { stdout } = await runCommand(
        'go',
        ['mod', 'download', '-json', `${source.module}@${source.version}`],
        {
          env,
          cwd: toolsDir,
        },
      );
      const moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
      for (const file of source.files)
        await copyFile(join(moduleDir, file), join(tools.crdsDir, basename(file)));
    }
    await writeFile(join(tools.crdsDir, '.complete'), `${new Date().toISOString()}\n`);
  }
  await runCommand('go', ['clean', '-cache', '-modcache'], { env, cwd: toolsDir });
  return tools;
}

/** The chart rendered with one values file, as `helm template` prints it. */
export async function renderChart(
  tools: ChartTools,
  valuesFiles: string[],
  options: { set?: string[] } = {},
): Promise<string> {
  const { stdout } = await runCommand(tools.helm, [
    'template',
    'wms-webhooks',
    chartDir,
    '--namespace',
    'webhooks',
    '--kube-version',
    `${kubernetesVersion}.0`,
    ...valuesFiles.flatMap((file) => ['--values', file]),
    ...(options.set ?? []).flatMap((value) => ['--set', value]),
  ]);
  return stdout;
}
