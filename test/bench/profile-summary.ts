import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}

/**
 * `tsx test/bench/profile-summary.ts <results>/profiles`: the functions with the most self time in each
 * service's CPU profile (written by `npm run bench -- --profile`), and the packages they belong to.
 */
const dir = process.argv[2];
if (!dir) {
  console.error('usage: tsx test/bench/profile-summary.ts <results dir>/profiles');
  process.exit(1);
}
const busy = (nodes: ProfileNode[]) =>
  nodes
    .filter((node) => node.callFrame.functionName !== '(idle)')
    .reduce((sum, node) => sum + node.hitCount, 0);

for (const service of readdirSync(dir)) {
  // The service's main thread is the busiest of the profiles in its folder (the others are loader threads).
  const [profile] = readdirSync(join(dir, service))
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => JSON.parse(readFileSync(join(dir, service, name), 'utf8')) as { nodes: ProfileNode[] })
    .sort((a, b) => busy(b.nodes) - busy(a.nodes));
  if (!profile) continue;
  const file = service;
  const total = busy(profile.nodes);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    if (node.callFrame.functionName === '(idle)') continue;
    const { url, functionName, lineNumber } = node.callFrame;
    const where = url.includes('node_modules/')
      ? (/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? url)
      : url.startsWith('node:')
        ? url
        : url
          ? relative(process.cwd(), url.replace('file://', ''))
          : `(${functionName || 'program'})`;
    const pkg =
      where.startsWith('libs/') || where.startsWith('services/')
        ? where.split('/').slice(0, 2).join('/')
        : where;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + node.hitCount);
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + node.hitCount);
  }
  const top = (map: Map<string, number>, count: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, hits]) => `  ${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  console.log(
    `\n${file} (${total} samples)\n by package:\n${top(byPackage, 10)}\n by function:\n${top(byFunction, 12)}`,
  );
}
