import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const prometheusDir = join(repo, 'deploy', 'prometheus');
const alertsText = readFileSync(join(prometheusDir, 'rules', 'alerts.yml'), 'utf8');
const rulesText = `${readFileSync(join(prometheusDir, 'rules', 'recording.yml'), 'utf8')}\n${alertsText}`;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the Prometheus configuration in deploy/prometheus', () => {
  it('passes promtool check config', async () => {
    const { stdout } = await run('promtool', ['check', 'config', join(prometheusDir, 'prometheus.yml')]);
    expect(stdout).toContain('is valid prometheus config file syntax');
  });

  it('passes promtool check rules', async () => {
    const { stdout } = await run('promtool', [
      'check',
      'rules',
      ...['recording.yml', 'alerts.yml'].map((file) => join(prometheusDir, 'rules', file)),
    ]);
    expect(stdout.match(/SUCCESS/g)).toHaveLength(2);
  });

  it('fires each alert on the series it is meant for, and not on healthy ones (promtool test rules)', async () => {
    const { stdout } = await run('promtool', [
      'test',
      'rules',
      join(prometheusDir, 'tests', 'alerts.test.yml'),
    ]);
    expect(stdout).toContain('SUCCESS');
  });

  it('links every alert to a runbook section that exists', () => {
    const runbooks = readFileSync(join(prometheusDir, 'runbooks.md'), 'utf8');
    const anchors = new Set([...runbooks.matchAll(/^## (\S+)/gm)].map((match) => match[1]!.toLowerCase()));
    const alerts = [...alertsText.matchAll(/- alert: (\w+)/g)].map((match) => match[1]!);
    expect(alerts).toHaveLength(9);
    for (const alert of alerts) {
      expect(alertsText).toContain(`runbooks.md#${alert.toLowerCase()}`);
      expect(anchors.has(alert.toLowerCase())).toBe(true);
    }
  });

  it('uses only metric names the services define', () => {
    const code = [...sourceFiles(join(repo, 'libs')), ...sourceFiles(join(repo, 'services'))]
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const used = new Set(
      [...rulesText.matchAll(/\bwms_webhooks_[a-z_]+/g)].map((match) =>
        match[0].replace(/_(bucket|count|sum)$/, ''),
      ),
    );
    const undefinedNames = [...used].filter(
      (name) => !code.includes(`'${name}'`) && !name.startsWith('wms_webhooks_process_'),
    );
    expect(undefinedNames).toEqual([]);
  });
});
