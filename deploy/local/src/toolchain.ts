import { runCommand } from './run-command';

export type Tool = 'java' | 'mvn' | 'go';

const installHints: Record<Tool, string> = {
  java: 'a JDK or JRE 17+ (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless)',
  mvn: 'Apache Maven 3.6+ (Debian/Ubuntu: apt-get install -y maven)',
  go: 'Go 1.21+ (Debian/Ubuntu: apt-get install -y golang-go; Go then fetches the 1.22 toolchain FerretDB asks for)',
};

interface ToolCheck {
  versionArgs: string[];
  parse: (output: string) => number[] | undefined;
  minimum: number[];
}

const checks: Record<Tool, ToolCheck> = {
  java: {
    versionArgs: ['-version'],
    parse: (output) => {
      const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
      if (!match) return undefined;
      const major = Number(match[1]);
      return major === 1 ? [Number(match[2])] : [major];
    },
    minimum: [17],
  },
  mvn: {
    versionArgs: ['-v'],
    parse: (output) => versionNumbers(/Apache Maven (\d+)\.(\d+)/.exec(output)),
    minimum: [3, 6],
  },
  go: {
    versionArgs: ['version'],
    parse: (output) => versionNumbers(/go(\d+)\.(\d+)/.exec(output)),
    minimum: [1, 21],
  },
};

function versionNumbers(match: RegExpExecArray | null): number[] | undefined {
  return match ? match.slice(1).map(Number) : undefined;
}

/** The version a tool printed, as numbers, or undefined when the output is not recognised. */
export function parseToolVersion(tool: Tool, output: string): number[] | undefined {
  return checks[tool].parse(output);
}

export function atLeast(version: number[], minimum: number[]): boolean {
  for (let index = 0; index < minimum.length; index++) {
    const have = version[index] ?? 0;
    const need = minimum[index] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
}

/** Returns one line per missing or too-old tool, each saying what to install; empty when all are there. */
export async function missingTools(tools: readonly Tool[]): Promise<string[]> {
  const problems: string[] = [];
  for (const tool of new Set(tools)) {
    const check = checks[tool];
    let output: string;
    try {
      const result = await runCommand(tool, check.versionArgs);
      output = `${result.stdout}\n${result.stderr}`;
    } catch {
      problems.push(`${tool} was not found on PATH: install ${installHints[tool]}`);
      continue;
    }
    const version = parseToolVersion(tool, output);
    if (!version || !atLeast(version, check.minimum)) {
      problems.push(
        `${tool} is ${version ? version.join('.') : 'of an unknown version'}, need ${check.minimum.join('.')}+: install ${installHints[tool]}`,
      );
    }
  }
  return problems;
}
