import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ServiceSpec {
  /** The package under services/. */
  name: string;
  /** What its log file and messages call it; several instances of one package need distinct labels. */
  label?: string;
  /** Where its /readyz answers. */
  readyUrl: string;
  env: NodeJS.ProcessEnv;
  /** Extra options for node itself, e.g. --cpu-prof (which NODE_OPTIONS may not carry). */
  nodeArgs?: string[];
}

export interface RunningService {
  spec: ServiceSpec;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
}

/** Starts a service's main.ts as its own process, its JSON log lines appended to a file. */
export function launchService(spec: ServiceSpec, logsDir: string): RunningService {
  mkdirSync(logsDir, { recursive: true });
  const logFile = join(logsDir, `${spec.label ?? spec.name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    process.execPath,
    [...(spec.nodeArgs ?? []), '--import', 'tsx', join(repoRoot, 'services', spec.name, 'src', 'main.ts')],
    {
      cwd: repoRoot,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a terminal's Ctrl-C reaches only the supervisor, which then sends exactly one
      // SIGTERM. Two signals would make a service skip its graceful shutdown.
      detached: true,
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { spec, child, logFile, exited };
}

export async function waitUntilReady(service: RunningService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void service.exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined)
      throw new Error(`${service.spec.name} exited with ${exitCode}; see ${service.logFile}`);
    try {
      const response = await fetch(service.spec.readyUrl, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((tick) => setTimeout(tick, 250));
  }
  throw new Error(
    `${service.spec.label ?? service.spec.name} not ready within ${timeoutMs} ms; see ${service.logFile}`,
  );
}

const signalled = new WeakSet<ChildProcess>();

/**
 * One SIGTERM to every service still running, then wait: each finishes its in-flight work and commits
 * before exiting. Calling it again never signals a service twice.
 */
export async function stopServices(services: RunningService[]) {
  for (const { child } of services) {
    if (child.exitCode !== null || signalled.has(child)) continue;
    signalled.add(child);
    child.kill('SIGTERM');
  }
  await Promise.all(services.map((service) => service.exited));
}
