import semver from 'semver';

interface LockPackage {
  version?: string;
  dev?: boolean;
  link?: boolean;
  engines?: { node?: string } | string[];
}

export interface UnsupportedEngine {
  name: string;
  version: string;
  requires: string;
  unsupported: string[];
}

/** The Node.js versions the project promises to run on: the lowest of each range it declares, and this one. */
export function promisedNodeVersions(projectRange: string, running: string): string[] {
  const lowest = new semver.Range(projectRange).set.map(
    (comparators) =>
      semver.minVersion(new semver.Range(comparators.map((comparator) => comparator.value).join(' ')))
        ?.version,
  );
  return [...new Set([...lowest.filter((version) => version !== undefined), running])];
}

/**
 * Production dependencies (not dev-only) whose `engines.node` leaves out one of the versions: what the
 * project would install, and what could then fail where it runs.
 */
export function unsupportedEngines(
  lock: { packages: Record<string, LockPackage> },
  nodeVersions: readonly string[],
): UnsupportedEngine[] {
  const found: UnsupportedEngine[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.includes('node_modules/') || entry.dev || entry.link) continue;
    const requires = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (!requires) continue;
    const unsupported = nodeVersions.filter(
      (version) => !semver.satisfies(version, requires, { includePrerelease: true }),
    );
    if (unsupported.length > 0) {
      found.push({
        name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
        version: entry.version ?? '?',
        requires,
        unsupported,
      });
    }
  }
  return found;
}
