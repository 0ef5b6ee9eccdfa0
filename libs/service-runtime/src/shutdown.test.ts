import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'log-then-shut-down.ts');

async function runFixture(lines: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, String(lines)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const [code] = await once(child, 'close');
  return {
    code: code as number | null,
    entries: output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; line?: number; step?: string }),
  };
}

describe('a service shutting down', () => {
  describe('when its log lines are still on their way to stdout', () => {
    it('writes every line, in the order logged, before it exits', { timeout: 30_000 }, async () => {
      const { code, entries } = await runFixture(2_000);
      expect(code).toBe(0);
      const filler = entries.filter((entry) => entry.msg === 'filler').map((entry) => entry.line);
      expect(filler).toEqual(Array.from({ length: 2_000 }, (_, line) => line));
      expect(
        entries
          .filter((entry) => entry.msg !== 'filler')
          .map((entry) => (entry.step ? `${entry.msg}: ${entry.step}` : entry.msg)),
      ).toEqual([
        'shutting down',
        'shutdown step done: first',
        'shutdown step done: second',
        'shutdown step done: third',
        'stopped',
      ]);
      expect(entries.at(-1)?.msg).toBe('stopped');
    });
  });
});
