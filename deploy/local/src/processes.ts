import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { LaunchSpec } from './component';
import type { StackLayout } from './stack-config';

interface PidRecord {
  pid: number;
  command: string;
  startedAt: string;
}

function pidFile(layout: StackLayout, name: string): string {
  return join(layout.pidsDir, `${name}.pid.json`);
}

export function logFile(layout: StackLayout, name: string): string {
  return join(layout.logsDir, `${name}.log`);
}

/** Starts a process that outlives this one, its output appended to the stack's log folder, its pid recorded. */
export async function launchDetached(layout: StackLayout, name: string, spec: LaunchSpec): Promise<number> {
  await mkdir(layout.logsDir, { recursive: true });
  await mkdir(layout.pidsDir, { recursive: true });
  const output = openSync(logFile(layout, name), 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      detached: true,
      stdio: ['ignore', output, output],
      env: spec.env ?? process.env,
      cwd: layout.runDir,
    });
    const pid = await new Promise<number>((resolvePid, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolvePid(child.pid as number));
    });
    child.unref();
    const record: PidRecord = { pid, command: spec.command, startedAt: new Date().toISOString() };
    await writeFile(pidFile(layout, name), `${JSON.stringify(record)}\n`);
    return pid;
  } finally {
    closeSync(output);
  }
}

export async function readPid(layout: StackLayout, name: string): Promise<number | undefined> {
  const file = pidFile(layout, name);
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(await readFile(file, 'utf8')) as PidRecord).pid;
  } catch {
    return undefined;
  }
}

/** The names of every process this stack folder has a pid recorded for. */
export async function recordedNames(layout: StackLayout): Promise<string[]> {
  if (!existsSync(layout.pidsDir)) return [];
  return (await readdir(layout.pidsDir))
    .filter((file) => file.endsWith('.pid.json'))
    .map((file) => file.slice(0, -'.pid.json'.length));
}

export async function forgetPid(layout: StackLayout, name: string): Promise<void> {
  await rm(pidFile(layout, name), { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A recorded pid is ours only while it is alive and its command line names this stack's folder:
 * pids are reused, and `down` must never signal a stranger.
 */
export function isOurs(layout: StackLayout, pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    const commandLine = existsSync('/proc')
      ? readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      : execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
    return commandLine.includes(layout.runDir);
  } catch {
    return false;
  }
}

export async function stopProcess(pid: number, timeoutMs: number): Promise<'stopped' | 'killed'> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'stopped';
    await delay(100);
  }
  return killProcess(pid);
}

export async function killProcess(pid: number): Promise<'killed'> {
  signalGroup(pid, 'SIGKILL');
  while (isAlive(pid)) await delay(50);
  return 'killed';
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    // Detached children lead their own process group; signalling it also reaches anything they forked.
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolveFree(true)));
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolveDelay) => setTimeout(resolveDelay, ms));
}

export async function logTail(layout: StackLayout, name: string, lines = 30): Promise<string> {
  try {
    return (await readFile(logFile(layout, name), 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
