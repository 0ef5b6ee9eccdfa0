import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}

interface Profile {
  nodes: ProfileNode[];
  /** The node sampled at each tick, and the microseconds since the tick before. */
  samples: number[];
  timeDeltas: number[];
}

/**
 * `tsx test/bench/profile-summary.ts <results>/profiles [--busiest N [--skip S]]`: the functions with the
 * most self time in each service's CPU profile (written by `npm run bench -- --profile`), and the packages
 * they belong to; with `--busiest N`, in the N seconds of each profile with the most CPU alone, which is
 * where a run's slowest seconds spend theirs, leaving out its first S seconds (the service's start).
 */
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { busiest: { type: 'string' }, skip: { type: 'string', default: '0' } },
});
const dir = positionals[0];
if (!dir) {
  console.error(
    'usage: tsx test/bench/profile-summary.ts <results dir>/profiles [--busiest <seconds> [--skip <seconds>]]',
  );
  process.exit(1);
}
const busiestSeconds = values.busiest === undefined ? undefined : Number(values.busiest);
const skippedSeconds = Number(values.skip);

const isIdle = (node: ProfileNode | undefined) => node?.callFrame.functionName === '(idle)';
const busy = (profile: Profile) =>
  profile.nodes.filter((node) => !isIdle(node)).reduce((sum, node) => sum + node.hitCount, 0);

/** Samples per node: every one, or those in the `seconds` busiest seconds of the profile. */
function hitsOf(profile: Profile, seconds: number | undefined): Map<number, number> {
  if (seconds === undefined) return new Map(profile.nodes.map((node) => [node.id, node.hitCount]));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const secondOf: number[] = [];
  let at = 0;
  const busyBySecond = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    const second = Math.floor(at / 1_000_000);
    secondOf.push(second);
    if (second >= skippedSeconds && !isIdle(byId.get(id)))
      busyBySecond.set(second, (busyBySecond.get(second) ?? 0) + 1);
  });
  const chosen = new Set(
    [...busyBySecond]
      .sort((a, b) => b[1] - a[1])
      .slice(0, seconds)
      .map(([second]) => second),
  );
  const hits = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    if (chosen.has(secondOf[index] as number)) hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  return hits;
}

for (const service of readdirSync(dir)) {
  // The service's main thread is the busiest of the profiles in its folder (the others are loader threads).
  const [profile] = readdirSync(join(dir, service))
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => JSON.parse(readFileSync(join(dir, service, name), 'utf8')) as Profile)
    .sort((a, b) => busy(b) - busy(a));
  if (!profile) continue;
  const hits = hitsOf(profile, busiestSeconds);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (isIdle(node) || count === 0) continue;
    total += count;
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
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + count);
  }
  const top = (map: Map<string, number>, count: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, count]) => `  ${((100 * count) / total).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  const scope = busiestSeconds === undefined ? '' : `, its ${busiestSeconds} busiest seconds`;
  console.log(
    `\n${service} (${total} samples${scope})\n by package:\n${top(byPackage, 10)}\n by function:\n${top(byFunction, 12)}`,
  );
}
