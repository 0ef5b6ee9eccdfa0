import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackComponent } from './component';
import { stackComponents } from './components';
import {
  delay,
  forgetPid,
  isOurs,
  isPortFree,
  killProcess,
  launchDetached,
  logFile,
  logTail,
  readPid,
  recordedNames,
  stopProcess,
} from './processes';
import { type NativeEndpoints, nativeEndpoints, type StackLayout } from './stack-config';
import { withStackLock } from './stack-lock';
import { missingTools } from './toolchain';

export class StackError extends Error {
  override readonly name = 'StackError';
}

export interface ComponentReport {
  name: StackComponent['name'];
  title: string;
  version: string;
  endpoint: string;
  state: 'started' | 'already running';
  installSeconds?: number;
  readySeconds: number;
  detail: string;
}

export interface UpReport {
  components: ComponentReport[];
  endpoints: NativeEndpoints;
  totalSeconds: number;
}

type Log = (line: string) => void;

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

/**
 * Downloads what is missing, starts what is not running, and returns once every component passes its
 * probe. `only` names the components to bring up, e.g. just the Kafka nodes of a cluster beside the stack.
 */
export function stackUp(
  layout: StackLayout,
  log: Log = () => {},
  { only }: { only?: readonly string[] } = {},
): Promise<UpReport> {
  return withStackLock(layout, async () => {
    const started = Date.now();
    await mkdir(layout.logsDir, { recursive: true });
    await mkdir(layout.cacheDir, { recursive: true });
    const components = stackComponents(layout).filter((component) => !only || only.includes(component.name));
    const toInstall = components.filter((component) => !component.isInstalled(layout));
    const problems = await missingTools([
      ...toInstall.flatMap((component) => component.installTools),
      ...components.flatMap((component) => component.runTools),
    ]);
    if (problems.length > 0) throw new StackError(`The local stack needs:\n  ${problems.join('\n  ')}`);

    const installs = scheduleInstalls(layout, components, toInstall, log);
    const reports = await Promise.all(
      components.map(async (component) => {
        const installSeconds = await installs.get(component.name);
        return startComponent(layout, component, log, installSeconds);
      }),
    );
    const endpoints = nativeEndpoints(layout);
    await writeFile(join(layout.runDir, 'endpoints.json'), `${JSON.stringify(endpoints, null, 2)}\n`);
    return { components: reports, endpoints, totalSeconds: seconds(started) };
  });
}

/**
 * Each component starts as soon as its own download is done. The Maven downloads share one local
 * repository, so they run one after the other; the Go build runs beside them. Components that share an
 * install key (the Kafka nodes) wait for the one download.
 */
function scheduleInstalls(
  layout: StackLayout,
  components: StackComponent[],
  toInstall: StackComponent[],
  log: Log,
) {
  const install = async (component: StackComponent) => {
    const since = Date.now();
    log(
      `${component.name}: fetching ${component.title} ${component.version(layout)} into ${layout.cacheDir}`,
    );
    await component.install(layout).catch((error: Error) => {
      throw new StackError(`${component.name}: install failed: ${error.message}`);
    });
    log(`${component.name}: fetched in ${seconds(since)} s`);
    return seconds(since);
  };
  let mavenQueue: Promise<unknown> = Promise.resolve();
  const schedule = (component: StackComponent): Promise<number | undefined> => {
    if (!toInstall.includes(component)) return Promise.resolve(undefined);
    if (!component.installTools.includes('mvn')) return install(component);
    const queued = mavenQueue.then(() => install(component));
    mavenQueue = queued.catch(() => undefined);
    return queued;
  };
  const scheduled = new Map<string, Promise<number | undefined>>();
  const byKey = new Map<string, Promise<number | undefined>>();
  for (const component of components) {
    const key = component.installKey;
    const installed = (key && byKey.get(key)) || schedule(component);
    scheduled.set(component.name, installed);
    if (key) byKey.set(key, installed);
  }
  return scheduled;
}

async function startComponent(
  layout: StackLayout,
  component: StackComponent,
  log: Log,
  installSeconds: number | undefined,
): Promise<ComponentReport> {
  const since = Date.now();
  const base = {
    name: component.name,
    title: component.title,
    version: component.version(layout),
    endpoint: component.endpoint(layout),
    installSeconds,
  };
  const existing = await readPid(layout, component.name);
  if (existing !== undefined && isOurs(layout, existing)) {
    const detail = await waitUntilReady(layout, component, existing);
    await setUp(layout, component);
    return { ...base, state: 'already running', readySeconds: seconds(since), detail };
  }
  await forgetPid(layout, component.name);
  for (const { port, variable } of component.ports(layout)) {
    if (!(await isPortFree(port))) {
      throw new StackError(
        `${component.name}: port ${port} is in use by a process this stack did not start; stop it, or set ${variable} to another port`,
      );
    }
  }
  await component.prepare(layout).catch((error: Error) => {
    throw new StackError(`${component.name}: preparing its data failed: ${error.message}`);
  });
  const pid = await launchDetached(layout, component.name, await component.launch(layout));
  log(
    `${component.name}: started (pid ${pid}), waiting until ready; log: ${logFile(layout, component.name)}`,
  );
  const detail = await waitUntilReady(layout, component, pid);
  await setUp(layout, component);
  log(`${component.name}: ready in ${seconds(since)} s (${detail})`);
  return { ...base, state: 'started', readySeconds: seconds(since), detail };
}

async function setUp(layout: StackLayout, component: StackComponent) {
  await component.afterReady?.(layout).catch((error: Error) => {
    throw new StackError(`${component.name}: setting up after start failed: ${error.message}`);
  });
}

async function waitUntilReady(layout: StackLayout, component: StackComponent, pid: number): Promise<string> {
  const deadline = Date.now() + layout.settings.STACK_READY_TIMEOUT_SECONDS * 1000;
  let lastError = 'no probe ran';
  while (Date.now() < deadline) {
    if (!isOurs(layout, pid)) {
      await forgetPid(layout, component.name);
      throw new StackError(
        `${component.name}: the process exited before it was ready. Last log lines:\n${await logTail(layout, component.name)}`,
      );
    }
    const result = await component.probe(layout);
    if (result.ok) return result.detail;
    lastError = result.error;
    await delay(250);
  }
  throw new StackError(
    `${component.name}: not ready after ${layout.settings.STACK_READY_TIMEOUT_SECONDS} s (last probe: ${lastError}). ` +
      `Last log lines:\n${await logTail(layout, component.name)}`,
  );
}

export interface StopReport {
  name: string;
  outcome: 'stopped' | 'killed' | 'not running';
}

/** Stops exactly the processes this stack started, by their recorded pids. */
export function stackDown(layout: StackLayout): Promise<StopReport[]> {
  return withStackLock(layout, () => stopAll(layout));
}

/** Every component of this layout, and any other this folder recorded (nodes of a larger cluster). */
async function stopAll(layout: StackLayout): Promise<StopReport[]> {
  const names = new Set([
    ...stackComponents(layout).map((component) => component.name),
    ...(await recordedNames(layout)),
  ]);
  return Promise.all([...names].map((name) => stopRecorded(layout, name, 'stop')));
}

/**
 * Stops one component, leaving the others running; `stackUp` starts it again. For the fault suite, which
 * stops the broker and the store under load (SIGTERM, as an orderly outage), or kills a cluster node
 * (SIGKILL, as a crash).
 */
export function stopComponent(
  layout: StackLayout,
  name: string,
  how: 'stop' | 'kill' = 'stop',
): Promise<StopReport> {
  return withStackLock(layout, () => stopRecorded(layout, name, how));
}

/** The process recorded under a name, if it is still ours, stopped or killed; its record goes either way. */
async function stopRecorded(layout: StackLayout, name: string, how: 'stop' | 'kill'): Promise<StopReport> {
  const pid = await readPid(layout, name);
  await forgetPid(layout, name);
  if (pid === undefined || !isOurs(layout, pid)) return { name, outcome: 'not running' };
  return { name, outcome: how === 'kill' ? await killProcess(pid) : await stopProcess(pid, 30_000) };
}

/** Stops the stack and deletes its data (topics, schemas, documents); the download cache stays. */
export function stackReset(layout: StackLayout): Promise<StopReport[]> {
  return withStackLock(layout, async () => {
    const stopped = await stopAll(layout);
    await rm(layout.dataDir, { recursive: true, force: true });
    await rm(join(layout.runDir, 'kafka'), { recursive: true, force: true });
    return stopped;
  });
}

export interface StatusRow {
  name: string;
  title: string;
  version: string;
  endpoint: string;
  process: string;
  healthy: boolean;
  health: string;
}

export async function stackStatus(layout: StackLayout): Promise<StatusRow[]> {
  return Promise.all(
    stackComponents(layout).map(async (component) => {
      const pid = await readPid(layout, component.name);
      const ours = pid !== undefined && isOurs(layout, pid);
      const result = await component.probe(layout);
      return {
        name: component.name,
        title: component.title,
        version: component.version(layout),
        endpoint: component.endpoint(layout),
        process: ours ? `pid ${pid}` : result.ok ? 'not started by this stack' : 'not running',
        healthy: result.ok,
        health: result.ok ? result.detail : result.error,
      };
    }),
  );
}
