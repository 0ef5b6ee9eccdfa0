import { describe, expect, it } from 'vitest';
import { atLeast, missingTools, nodeVersionProblem, parseToolVersion } from './toolchain';

describe('parseToolVersion', () => {
  it('reads modern and legacy Java version strings', () => {
    expect(parseToolVersion('java', 'openjdk version "17.0.15" 2025-04-15')).toEqual([17]);
    expect(parseToolVersion('java', 'java version "1.8.0_392"')).toEqual([8]);
  });

  it('reads Maven and Go versions', () => {
    expect(parseToolVersion('mvn', 'Apache Maven 3.8.7\nMaven home: /usr/share/maven')).toEqual([3, 8]);
    expect(parseToolVersion('go', 'go version go1.26.8 linux/amd64')).toEqual([1, 26]);
  });

  it('reads Prometheus, promtool and Chromium versions', () => {
    expect(parseToolVersion('prometheus', 'prometheus, version 2.42.0+ds (branch: debian/sid)')).toEqual([
      2, 42,
    ]);
    expect(parseToolVersion('promtool', 'promtool, version 2.42.0+ds (branch: debian/sid)')).toEqual([2, 42]);
    expect(parseToolVersion('chromium', 'Chromium 156.0.8078.73 built on Debian GNU/Linux 12')).toEqual([
      156,
    ]);
  });

  it('reads the curl version from its first line', () => {
    expect(
      parseToolVersion(
        'curl',
        'curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 OpenSSL/3.0.19\nRelease-Date: 2023-02-20',
      ),
    ).toEqual([7, 88]);
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
      expect(problems[0]).toMatch(/^java was not found \(java\): install .*openjdk-17/);
      expect(problems[1]).toMatch(/^go was not found \(go\): install .*golang-go/);
    } finally {
      process.env.PATH = originalPath;
    }
  });
});

describe('when CHROMIUM_PATH names no browser', () => {
  it('names the path and says how to get Chromium', async () => {
    const problems = await missingTools(['chromium'], {
      ...process.env,
      CHROMIUM_PATH: '/nonexistent/chromium',
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^chromium was not found \(\/nonexistent\/chromium\): install .*apt-get install -y chromium/,
      ),
    ]);
  });
});

describe('nodeVersionProblem', () => {
  it('accepts the supported LTS lines and anything newer', () => {
    expect(nodeVersionProblem('24.6.0')).toBeUndefined();
    expect(nodeVersionProblem('v24.22.3')).toBeUndefined();
    expect(nodeVersionProblem('22.22.0')).toBeUndefined();
    expect(nodeVersionProblem('26.1.0')).toBeUndefined();
  });

  it('refuses Node.js 20, an early 22 or 24, and the odd lines between, saying what to install', () => {
    for (const version of ['20.20.2', '22.21.1', '24.5.0', '23.11.0']) {
      expect(nodeVersionProblem(version)).toMatch(
        new RegExp(`^Node\\.js ${version.replaceAll('.', '\\.')} is not supported: install Node\\.js 24 LTS`),
      );
    }
  });
});
