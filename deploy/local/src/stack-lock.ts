import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { delay, isAlive } from './processes';
import type { StackLayout } from './stack-config';

/**
 * Serialises `up`, `down` and `reset` across processes (say `npm start` and `npm test` at once):
 * the second caller waits, then finds the stack already running.
 */
export async function withStackLock<T>(
  layout: StackLayout,
  work: () => Promise<T>,
  timeoutMs = 600_000,
): Promise<T> {
  await mkdir(layout.runDir, { recursive: true });
  const file = join(layout.runDir, 'stack.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(file, 'utf8').catch(() => ''));
      if (!holder || !isAlive(holder)) {
        await rm(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`the stack is locked by process ${holder} (${file})`);
      await delay(250);
    }
  }
  try {
    return await work();
  } finally {
    await rm(file, { force: true });
  }
}
