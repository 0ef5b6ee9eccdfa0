import { describe, expect, it } from 'vitest';
import { atLeast, missingTools, parseToolVersion } from './toolchain';

describe('parseToolVersion', () => {
  it('reads modern and legacy Java version strings', () => {
    expect(parseToolVersion('java', 'openjdk version "17.0.15" 2025-04-15')).toEqual([17]);
    expect(parseToolVersion('java', 'java version "1.8.0_392"')).toEqual([8]);
  });

  it('reads Maven and Go versions', () => {
    expect(parseToolVersion('mvn', 'Apache Maven 3.8.7\nMaven home: /usr/share/maven')).toEqual([3, 8]);
    expect(parseToolVersion('go', 'go version go1.26.8 linux/amd64')).toEqual([1, 26]);
  });

  it('returns undefined for output it does not recognise', () => {
    expect(parseToolVersion('go', 'command not found')).toBeUndefined();
  });
});

describe('atLeast', () => {
  it('compares component by component', () => {
    expect(atLeast([1, 22], [1, 21])).toBe(true);
    expect(atLeast([1, 19], [1, 21])).toBe(false);
    expect(atLeast([2, 0], [1, 21])).toBe(true);
    expect(atLeast([17], [17])).toBe(true);
  });
});

describe('missingTools', () => {
  it('says what to install when a tool is not on PATH', async () => {
    const originalPath = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const problems = await missingTools(['java', 'go']);
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/^java was not found on PATH: install .*openjdk-17/);
      expect(problems[1]).toMatch(/^go was not found on PATH: install .*golang-go/);
    } finally {
      process.env.PATH = originalPath;
    }
  });
});
