import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDir } from './build-dir';

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
  /** Run `<dir>/<name>/main.js` from `npm run build` (dist/ by default) instead of the TypeScript through tsx. */
  fromBuild?: { dir?: string };
  /**
   * How long a SIGTERM may take before the service is killed: its own SHUTDOWN_TIMEOUT_MS cannot fire
   * while its event loop is blocked. Default 35 s, 5 s past the services' default shutdown timeout.
   */
  stopGraceMs?: number;
}

const defaultStopGraceMs = 35_000;

/**
 * util-linux's setpriv, on every Linux: started through it, a service gets SIGKILL from the kernel when
 * its supervisor dies, however it dies, so no service outlives `npm start` holding its port.
 */
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

function command(args: string[]): [string, string[]] {
  return setpriv
    ? [setpriv, ['--pdeathsig', 'SIGKILL', '--', process.execPath, ...args]]
    : [process.execPath, args];
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
  const [file, args] = command([
    ...(spec.nodeArgs ?? []),
    ...(spec.fromBuild
      ? [join(spec.fromBuild.dir ?? buildDir, 'start.mjs'), spec.name]
      : ['--import', 'tsx', join(repoRoot, 'services', spec.name, 'src', 'main.ts')]),
  ]);
  const child = spawn(file, args, {
    cwd: repoRoot,
    env: spec.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a terminal's Ctrl-C reaches only the supervisor, which then sends exactly one
    // SIGTERM. Two signals would make a service skip its graceful shutdown.
    detached: true,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { spec, child, logFile, exited };
}

/** What a /readyz answered: whether ready, and which process answered when it says. */
async function readinessAnswer(url: string) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    const report = (await response.json().catch(() => ({}))) as { service?: string; pid?: number };
    return { ready: response.ok, service: report.service, pid: report.pid };
  } catch {
    return undefined; // not listening yet
  }
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
    const answer = await readinessAnswer(service.spec.readyUrl);
    if (answer?.pid !== undefined && answer.pid !== service.child.pid)
      throw new Error(
        `${service.spec.readyUrl} is answered by ${answer.service} (pid ${answer.pid}), not by ` +
          `${service.spec.label ?? service.spec.name} (pid ${service.child.pid}); see ${service.logFile}`,
      );
    if (answer?.ready) return;
    await new Promise((tick) => setTimeout(tick, 250));
  }
  throw new Error(
    `${service.spec.label ?? service.spec.name} not ready within ${timeoutMs} ms; see ${service.logFile}`,
  );
}

const signalled = new WeakSet<ChildProcess>();

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/**
 * One SIGTERM to every service still running, then wait: each finishes its in-flight work and commits
 * before exiting. A service still running after its grace period is killed, its whole process group
 * with it. Calling it again never signals a service twice. Returns the services it had to kill.
 */
export async function stopServices(services: RunningService[]): Promise<RunningService[]> {
  const killed: RunningService[] = [];
  await Promise.all(
    services.map(async (service) => {
      const { child } = service;
      if (running(child) && !signalled.has(child)) {
        signalled.add(child);
        child.kill('SIGTERM');
      }
      const grace = setTimeout(() => {
        if (!running(child)) return;
        killed.push(service);
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, service.spec.stopGraceMs ?? defaultStopGraceMs);
      await service.exited;
      clearTimeout(grace);
    }),
  );
  return killed;
}
