import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the built UI lives; the api service serves this folder at /. */
export const adminUiDist = join(packageDir, 'dist');

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/** Whether dist is missing or older than the sources it is built from. */
export function adminUiStale(): boolean {
  const index = join(adminUiDist, 'index.html');
  if (!existsSync(index)) return true;
  const sources = ['src', 'index.html', 'vite.config.ts'].map((entry) =>
    newestChange(join(packageDir, entry)),
  );
  return Math.max(...sources) > statSync(index).mtimeMs;
}

/** Builds the UI with Vite (a build-time tool, loaded only here) when the sources changed. */
export async function buildAdminUi(options: { force?: boolean } = {}): Promise<{ built: boolean }> {
  if (!options.force && !adminUiStale()) return { built: false };
  const { build } = await import('vite');
  await build({ configFile: join(packageDir, 'vite.config.ts'), root: packageDir, logLevel: 'warn' });
  return { built: true };
}
