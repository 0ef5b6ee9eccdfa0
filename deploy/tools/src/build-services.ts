import { copyFile, cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminUiDist, buildAdminUi } from '@wms-webhooks/admin-ui';
import { schemaDir, schemaFiles } from '@wms-webhooks/schemas';
import { build, type Plugin } from 'esbuild';
import { buildDir } from './build-dir';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const services = ['api', 'ingester', 'matcher', 'sender', 'retrier', 'notifier'] as const;

export { buildDir };

/**
 * `node dist/start.mjs <service> [flags]`: the one command that starts any built service, in the image
 * (its ENTRYPOINT) and in the tests that start the build.
 */
const launcher = `const services = ${JSON.stringify(services)};
const service = process.argv[2];
if (!services.includes(service)) {
  console.error(\`usage: node start.mjs <\${services.join('|')}> [flags]; got \${service ?? 'nothing'}\`);
  process.exit(2);
}
await import(\`./\${service}/main.js\`);
`;

/**
 * `node dist/healthcheck.mjs`: exit 0 when the service in this container answers /healthz, on the api's
 * port or the ops port (the api serves /healthz on its own port, the others on OPS_PORT).
 */
const healthcheck = `const ports = [process.env.API_PORT ?? '8080', process.env.OPS_PORT ?? '9100'];
const answers = await Promise.all(
  ports.map((port) =>
    fetch(\`http://127.0.0.1:\${port}/healthz\`, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.ok,
      () => false,
    ),
  ),
);
process.exit(answers.includes(true) ? 0 : 1);
`;

/**
 * Modules loaded only when asked, which services never ask: MongoDB's optional Kerberos, compression,
 * encryption and cloud credentials; Vite, for the UI build. Left out of the bundles.
 */
const notBundled = [
  'kerberos',
  '@mongodb-js/zstd',
  '@aws-sdk/credential-providers',
  'gcp-metadata',
  'snappy',
  'socks',
  'aws4',
  'mongodb-client-encryption',
  'vite',
  'lz4-napi',
];

/** CommonJS dependencies inside an ES module bundle still call require and read __dirname. */
const banner = [
  "import { createRequire as __createRequire } from 'node:module';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  "import { dirname as __dirnameOf } from 'node:path';",
  'const require = __createRequire(import.meta.url);',
  'const __filename = __fileURLToPath(import.meta.url);',
  'const __dirname = __dirnameOf(__filename);',
].join('\n');

const wasmFile = join(repoRoot, 'node_modules', '@platformatic', 'wasm-utils', 'dist', 'native.wasm');

/**
 * The Kafka client's compression and CRC code is WebAssembly it reads from beside its own module; in a
 * bundle that module is main.js, so the file is copied there and the path made to point at it. A client
 * release that loads it another way fails the build here instead of the service at start.
 */
const wasmBesideBundle: Plugin = {
  name: 'wasm-beside-bundle',
  setup(build) {
    build.onLoad({ filter: /wasm-utils[\\/]dist[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const from = "'../dist/native.wasm'";
      if (!source.includes(from)) throw new Error(`${args.path} no longer loads ${from}; update the build`);
      return { contents: source.replace(from, "'./native.wasm'"), loader: 'js' };
    });
  },
};

/**
 * Each service bundled with every dependency into one ES module, so it starts as `node main.js` with no
 * TypeScript, no tsx and no node_modules. The api's bundle has the admin UI beside it.
 */
export async function buildServices(): Promise<Array<{ service: string; bytes: number }>> {
  await rm(buildDir, { recursive: true, force: true });
  await buildAdminUi();
  const built = await Promise.all(
    services.map(async (service) => {
      const outfile = join(buildDir, service, 'main.js');
      await build({
        entryPoints: [join(repoRoot, 'services', service, 'src', 'main.ts')],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node22',
        sourcemap: 'linked',
        external: notBundled,
        banner: { js: banner },
        plugins: [wasmBesideBundle],
        logLevel: 'warning',
      });
      // Files modules read from beside themselves, now beside main.js: the WebAssembly, the Avro schemas.
      await copyFile(wasmFile, join(dirname(outfile), 'native.wasm'));
      for (const file of schemaFiles()) await copyFile(join(schemaDir, file), join(dirname(outfile), file));
      return { service, bytes: (await stat(outfile)).size };
    }),
  );
  await mkdir(join(buildDir, 'api'), { recursive: true });
  await cp(adminUiDist, join(buildDir, 'api', 'admin-ui'), { recursive: true });
  await writeFile(join(buildDir, 'start.mjs'), launcher);
  await writeFile(join(buildDir, 'healthcheck.mjs'), healthcheck);
  return built;
}
