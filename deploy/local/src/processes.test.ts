import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isAlive,
  isOurs,
  isPortFree,
  killProcess,
  launchDetached,
  readPid,
  recordedNames,
  stopProcess,
} from './processes';
import { loadStackLayout, type StackLayout } from './stack-config';

describe('tracked processes', () => {
  let layout: StackLayout;

  beforeEach(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stack-processes-'));
    layout = loadStackLayout({ STACK_DIR: dir, STACK_CACHE_DIR: join(dir, 'cache') });
  });

  afterEach(async () => {
    await rm(layout.runDir, { recursive: true, force: true });
  });

  it('lists every process it recorded, so down stops nodes a smaller cluster setting no longer names', async () => {
    const spec = { command: 'bash', args: ['-c', `sleep 30 # ${layout.runDir}`] };
    const pids = [await launchDetached(layout, 'kafka', spec), await launchDetached(layout, 'kafka-3', spec)];
    expect((await recordedNames(layout)).sort()).toEqual(['kafka', 'kafka-3']);
    await Promise.all(pids.map(killProcess));
    expect(pids.some(isAlive)).toBe(false);
  });

  it('records the pid of a launched process and recognises it as ours', async () => {
    // The stack folder in the arguments is what marks the process as this stack's.
    const pid = await launchDetached(layout, 'sleeper', {
      command: 'bash',
      args: ['-c', 'sleep 30; :', layout.runDir],
    });
    expect(await readPid(layout, 'sleeper')).toBe(pid);
    expect(isOurs(layout, pid)).toBe(true);
    expect(await stopProcess(pid, 5_000)).toBe('stopped');
    expect(isAlive(pid)).toBe(false);
  });

  it('does not claim a live process whose command line does not name the stack folder', () => {
    expect(isOurs(layout, process.pid)).toBe(false);
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const pid = await launchDetached(layout, 'stubborn', {
      command: 'bash',
      args: ['-c', `trap '' TERM; touch trap-set; while true; do sleep 0.1; done # ${layout.runDir}`],
    });
    const trapSet = join(layout.runDir, 'trap-set');
    while (!existsSync(trapSet)) await new Promise((tick) => setTimeout(tick, 20));
    expect(await stopProcess(pid, 300)).toBe('killed');
    expect(isAlive(pid)).toBe(false);
  });

  it('tells a taken port from a free one', async () => {
    const server = createServer();
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const { port } = server.address() as { port: number };
    expect(await isPortFree(port)).toBe(false);
    await new Promise((closed) => server.close(closed));
    expect(await isPortFree(port)).toBe(true);
  });
});
