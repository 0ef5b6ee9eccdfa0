import { runCommand } from './run-command';

/** The stack's tools (java, mvn, go), and the ones the test suite drives besides Node.js. */
export type Tool = 'java' | 'mvn' | 'go' | 'prometheus' | 'promtool' | 'chromium' | 'curl';

const installHints: Record<Tool, string> = {
  java: 'a JDK or JRE 17+ (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless)',
  mvn: 'Apache Maven 3.6+ (Debian/Ubuntu: apt-get install -y maven)',
  go: 'Go 1.21+ (Debian/Ubuntu: apt-get install -y golang-go; Go then fetches the 1.22 toolchain FerretDB asks for)',
  prometheus: 'Prometheus 2.30+ (Debian/Ubuntu: apt-get install -y prometheus)',
  promtool: 'promtool, which comes with Prometheus (Debian/Ubuntu: apt-get install -y prometheus)',
  chromium:
    'Chromium, for the admin UI tests (Debian: apt-get install -y chromium; elsewhere set CHROMIUM_PATH to a Chromium or Chrome binary)',
  curl: 'curl 7.72+, which runs the examples of docs/api.md (Debian/Ubuntu: apt-get install -y curl)',
};

interface ToolCheck {
  /** The command to run; CHROMIUM_PATH, for one, names a browser outside PATH. */
  command: (env: NodeJS.ProcessEnv) => string;
  versionArgs: string[];
  parse: (output: string) => number[] | undefined;
  minimum: number[];
}

const named = (name: string) => () => name;
const prometheusVersion = (output: string) => versionNumbers(/version (\d+)\.(\d+)/.exec(output));

const checks: Record<Tool, ToolCheck> = {
  java: {
    command: named('java'),
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
    command: named('mvn'),
    versionArgs: ['-v'],
    parse: (output) => versionNumbers(/Apache Maven (\d+)\.(\d+)/.exec(output)),
    minimum: [3, 6],
  },
  go: {
    command: named('go'),
    versionArgs: ['version'],
    parse: (output) => versionNumbers(/go(\d+)\.(\d+)/.exec(output)),
    minimum: [1, 21],
  },
  prometheus: {
    command: named('prometheus'),
    versionArgs: ['--version'],
    parse: prometheusVersion,
    minimum: [2, 30],
  },
  promtool: {
    command: named('promtool'),
    versionArgs: ['--version'],
    parse: prometheusVersion,
    minimum: [2, 30],
  },
  chromium: {
    command: (env) => env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    versionArgs: ['--version'],
    parse: (output) => versionNumbers(/(?:Chromium|Chrome) (\d+)/.exec(output)),
    minimum: [100],
  },
  curl: {
    command: named('curl'),
    versionArgs: ['--version'],
    parse: (output) => versionNumbers(/^curl (\d+)\.(\d+)/m.exec(output)),
    minimum: [7, 72],
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
export async function missingTools(
  tools: readonly Tool[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[]> {
  const problems: string[] = [];
  for (const tool of new Set(tools)) {
    const check = checks[tool];
    const command = check.command(env);
    let output: string;
    try {
      const result = await runCommand(command, check.versionArgs, { env });
      output = `${result.stdout}\n${result.stderr}`;
    } catch {
      problems.push(`${tool} was not found (${command}): install ${installHints[tool]}`);
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

/** The Node.js versions the project runs on, as package.json's engines says: 22.22+ or 24.6+. */
const supportedNode: ReadonlyArray<{ major: number; minimum: number[] }> = [
  { major: 22, minimum: [22, 22] },
  { major: 24, minimum: [24, 6] },
];

/** Why this Node.js cannot run the project, or undefined when it can. */
export function nodeVersionProblem(version: string = process.versions.node): string | undefined {
  const numbers = version.replace(/^v/, '').split('.').map(Number);
  const major = numbers[0] ?? 0;
  const line = supportedNode.find((entry) => entry.major === major);
  const newest = supportedNode.at(-1);
  const fits = line ? atLeast(numbers, line.minimum) : newest !== undefined && major > newest.major;
  if (fits) return undefined;
  return `Node.js ${version} is not supported: install Node.js 24 LTS (22.22+ also works), see the README's prerequisites`;
}
