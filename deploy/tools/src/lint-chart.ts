import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { runCommand } from '@wms-webhooks/local-stack';
import { chartDir, chartValuesFiles, ensureChartTools, kubernetesVersion, renderChart } from './chart-tools';
import { runTool } from './run-tool';

/**
 * `npm run lint:chart`, part of `npm run lint`: helm lint --strict, then each values file in ci/ rendered
 * and every object validated strictly (unknown fields are errors) against the Kubernetes API schemas and
 * the CRDs, offline, with kubectl-validate.
 */
runTool(async () => {
  const tools = await ensureChartTools((line) => console.log(`lint:chart: ${line}`));
  const rendered = await mkdtemp(join(tmpdir(), 'wms-webhooks-chart-'));
  try {
    for (const { name, file } of chartValuesFiles) {
      await runCommand(tools.helm, [
        'lint',
        '--strict',
        chartDir,
        '--values',
        file,
        '--kube-version',
        `${kubernetesVersion}.0`,
      ]);
      const manifest = await renderChart(tools, [file]);
      await writeFile(join(rendered, `${name}.yaml`), manifest);
      const objects = manifest.match(/^kind: \w+$/gm)?.length ?? 0;
      console.log(
        `deploy/helm/wms-webhooks with ci/${name}-values.yaml: lint clean, ${objects} objects rendered`,
      );
    }
    const { stdout } = await runCommand(tools.kubectlValidate, [
      rendered,
      '--local-crds',
      tools.crdsDir,
      '--version',
      kubernetesVersion,
    ]);
    console.log(stripVTControlCharacters(stdout).replaceAll(rendered, 'rendered').trim());
  } finally {
    await rm(rendered, { recursive: true, force: true });
  }
});
