import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackComponent } from '../component';
import { downloadFromCentral } from '../maven';
import { probeRegistry } from '../probes';
import { runCommand } from '../run-command';
import type { StackLayout } from '../stack-config';

function archivePath(version: string): string {
  return `io/apicurio/apicurio-registry-app/${version}/apicurio-registry-app-${version}-all.tar.gz`;
}

/** Apicurio 3.0.x ships a legacy "-runner.jar"; later 3.x releases ship quarkus-run.jar. */
async function launcherJar(homeDir: string): Promise<string> {
  if (existsSync(join(homeDir, 'quarkus-run.jar'))) return join(homeDir, 'quarkus-run.jar');
  const runner = (await readdir(homeDir)).find((file) => file.endsWith('-runner.jar'));
  if (!runner) throw new Error(`no quarkus-run.jar or *-runner.jar in ${homeDir}`);
  return join(homeDir, runner);
}

async function sha1(file: string): Promise<string> {
  return createHash('sha1')
    .update(await readFile(file))
    .digest('hex');
}

export const registryComponent: StackComponent = {
  name: 'registry',
  title: 'Apicurio Registry',
  installTools: ['mvn', 'java'],
  runTools: ['java'],
  version: (layout) => layout.registry.version,
  endpoint: (layout) => `http://127.0.0.1:${layout.settings.STACK_REGISTRY_PORT}/apis/ccompat/v7`,
  ports: (layout) => [{ port: layout.settings.STACK_REGISTRY_PORT, variable: 'STACK_REGISTRY_PORT' }],
  isInstalled: (layout) => existsSync(join(layout.registry.homeDir, 'lib')),

  async install(layout: StackLayout) {
    const { version, homeDir } = layout.registry;
    const downloads = join(layout.cacheDir, 'downloads');
    await mkdir(downloads, { recursive: true });
    const archive = join(downloads, `apicurio-registry-app-${version}-all.tar.gz`);
    await downloadFromCentral(layout, archivePath(version), archive);
    await downloadFromCentral(layout, `${archivePath(version)}.sha1`, `${archive}.sha1`);
    const expected = (await readFile(`${archive}.sha1`, 'utf8')).trim().split(/\s+/)[0];
    const actual = await sha1(archive);
    if (expected !== actual) {
      await rm(archive, { force: true });
      throw new Error(
        `Apicurio archive checksum mismatch: Maven Central says ${expected}, the download is ${actual}`,
      );
    }
    const staging = `${homeDir}.partial`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await runCommand('tar', ['-xzf', archive, '-C', staging]);
    await rm(homeDir, { recursive: true, force: true });
    await rename(staging, homeDir);
    await rm(archive, { force: true });
    await rm(`${archive}.sha1`, { force: true });
  },

  async prepare(layout) {
    await mkdir(layout.registry.dataDir, { recursive: true });
  },

  async launch(layout) {
    return {
      command: 'java',
      args: [
        '-Xms128m',
        `-Xmx${layout.settings.STACK_REGISTRY_HEAP}`,
        '-Djava.awt.headless=true',
        `-Dwms.stack.dir=${layout.runDir}`,
        '-Dquarkus.http.host=127.0.0.1',
        `-Dquarkus.http.port=${layout.settings.STACK_REGISTRY_PORT}`,
        // Keeps /health on the API port across 3.x releases (later ones move it to a management port).
        '-Dquarkus.management.enabled=false',
        '-Dquarkus.log.console.color=false',
        '-Dapicurio.storage.kind=sql',
        '-Dapicurio.storage.sql.kind=h2',
        `-Dapicurio.datasource.url=jdbc:h2:file:${join(layout.registry.dataDir, 'registry')}`,
        '-jar',
        await launcherJar(layout.registry.homeDir),
      ],
    };
  },

  probe: (layout) => probeRegistry(registryComponent.endpoint(layout)),
};
