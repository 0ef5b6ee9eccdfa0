import { existsSync } from 'node:fs';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StackComponent } from '../component';
import { probeMongo } from '../probes';
import { runCommand } from '../run-command';
import type { StackLayout } from '../stack-config';

function goEnv(layout: StackLayout): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: join(layout.cacheDir, 'go', 'mod'),
    GOCACHE: join(layout.cacheDir, 'go', 'build'),
    GOBIN: dirname(layout.ferretdb.binary),
    GOFLAGS: '-trimpath',
  };
}

export const ferretdbComponent: StackComponent = {
  name: 'ferretdb',
  title: 'FerretDB (SQLite)',
  installTools: ['go'],
  runTools: [],
  version: (layout) => layout.ferretdb.version,
  endpoint: (layout) => `mongodb://127.0.0.1:${layout.settings.STACK_MONGO_PORT}`,
  ports: (layout) => [
    { port: layout.settings.STACK_MONGO_PORT, variable: 'STACK_MONGO_PORT' },
    { port: layout.settings.STACK_FERRETDB_DEBUG_PORT, variable: 'STACK_FERRETDB_DEBUG_PORT' },
  ],
  isInstalled: (layout) => existsSync(layout.ferretdb.binary),

  /**
   * `go install module@version` cannot build FerretDB: its module archive omits build/version/version.txt,
   * which the binary requires at start. So the module is downloaded, that one file written, and the
   * command installed from the copy.
   */
  async install(layout) {
    const version = `v${layout.ferretdb.version}`;
    const env = goEnv(layout);
    const { stdout } = await runCommand(
      'go',
      ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${version}`],
      { env, cwd: layout.cacheDir },
    );
    const moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
    const source = join(layout.cacheDir, 'src', `ferretdb-${layout.ferretdb.version}`);
    await rm(source, { recursive: true, force: true });
    await cp(moduleDir, source, { recursive: true });
    // The module cache is read-only; the copy must be writable to add the file and to be replaced later.
    await runCommand('chmod', ['-R', 'u+w', source]);
    await writeFile(join(source, 'build', 'version', 'version.txt'), `${version}\n`);
    await mkdir(dirname(layout.ferretdb.binary), { recursive: true });
    await runCommand('go', ['install', './cmd/ferretdb'], { env, cwd: source });
    // Build cache, module sources (~900 MB) and the copy serve only this build; the binary is all that runs.
    await runCommand('go', ['clean', '-cache', '-modcache'], { env, cwd: source });
    await rm(source, { recursive: true, force: true });
  },

  async prepare(layout) {
    await mkdir(layout.ferretdb.dataDir, { recursive: true });
    await mkdir(layout.ferretdb.stateDir, { recursive: true });
  },

  launch: async (layout) => ({
    command: layout.ferretdb.binary,
    args: [
      '--handler=sqlite',
      // A 64 MB page cache, not SQLite's 2 MB, and one transaction per 1,000 inserted documents, not
      // FerretDB's 100: an attempt log costs the store a quarter less (npm run bench:store).
      `--sqlite-url=file:${layout.ferretdb.dataDir}/?_pragma=cache_size(-65536)`,
      '--test-batch-size=1000',
      `--state-dir=${layout.ferretdb.stateDir}`,
      `--listen-addr=127.0.0.1:${layout.settings.STACK_MONGO_PORT}`,
      `--debug-addr=127.0.0.1:${layout.settings.STACK_FERRETDB_DEBUG_PORT}`,
      '--telemetry=disable',
      '--log-format=json',
      '--log-level=warn',
    ],
  }),

  probe: (layout) => probeMongo(ferretdbComponent.endpoint(layout)),
};
