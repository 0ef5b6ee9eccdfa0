import { validate } from 'dockerfile-utils';

interface Instruction {
  line: number;
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined, comments and parser directives left out. */
function instructionsOf(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: Instruction | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) return;
    const continues = line.endsWith('\\');
    const body = continues ? line.slice(0, -1).trim() : line;
    if (pending) {
      if (!line.startsWith('#')) pending.args = `${pending.args} ${body}`.trim();
    } else {
      const [keyword = '', ...rest] = body.split(/\s+/);
      pending = { line: index + 1, keyword: keyword.toUpperCase(), args: rest.join(' ') };
    }
    if (!continues && pending) {
      instructions.push(pending);
      pending = undefined;
    }
  });
  return instructions;
}

/**
 * What the image must be, beyond what the syntax validator (dockerfile-utils, the Dockerfile language
 * server's) checks: pinned base images, a non-root user, a health check and stop signal that match the
 * services' shutdown, no remote ADD, apt without recommends, and the same build and start commands CI
 * runs. Each problem names its line.
 */
export function dockerfileProblems(text: string): string[] {
  const problems = validate(text).map(
    (diagnostic) => `line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`,
  );
  const instructions = instructionsOf(text);
  const args = new Map(
    instructions
      .filter((entry) => entry.keyword === 'ARG' && entry.args.includes('='))
      .map((entry) => entry.args.split('=', 2) as [string, string]),
  );
  const stages = instructions.filter((entry) => entry.keyword === 'FROM');
  for (const stage of stages) {
    const image = (stage.args.split(/\s+/)[0] ?? '').replace(
      /^\$\{?(\w+)\}?$/,
      (_match, name: string) => args.get(name) ?? '',
    );
    if (!/^[^:@\s]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/.test(image) || image.endsWith(':latest')) {
      problems.push(
        `line ${stage.line}: FROM ${image || stage.args} must name a pinned tag or digest, not latest`,
      );
    }
  }
  const finalStage = stages.at(-1)?.line ?? 0;
  const final = instructions.filter((entry) => entry.line > finalStage);
  const user = final.filter((entry) => entry.keyword === 'USER').at(-1);
  if (!user || /^(root|0)(:|$)/.test(user.args))
    problems.push('the image must run as a user other than root (USER)');
  if (!final.some((entry) => entry.keyword === 'HEALTHCHECK')) problems.push('the image needs a HEALTHCHECK');
  if (!final.some((entry) => entry.keyword === 'STOPSIGNAL' && entry.args === 'SIGTERM')) {
    problems.push('the image needs STOPSIGNAL SIGTERM, the signal the services finish their work on');
  }
  for (const entry of instructions) {
    if (entry.keyword === 'ADD')
      problems.push(`line ${entry.line}: use COPY; ADD fetches URLs and unpacks archives`);
    if (
      entry.keyword === 'RUN' &&
      /apt-get install/.test(entry.args) &&
      !/--no-install-recommends/.test(entry.args)
    ) {
      problems.push(`line ${entry.line}: apt-get install needs --no-install-recommends`);
    }
  }
  const runs = instructions
    .filter((entry) => entry.keyword === 'RUN')
    .map((entry) => entry.args)
    .join(' && ');
  if (!/\bnpm ci\b/.test(runs) || !/\bnpm run build\b/.test(runs)) {
    problems.push('the build stage must run npm ci and npm run build, as CI does');
  }
  const entrypoint = final.find((entry) => entry.keyword === 'ENTRYPOINT');
  if (!entrypoint?.args.includes('dist/start.mjs')) {
    problems.push('the ENTRYPOINT must start dist/start.mjs, as the production-build test does');
  }
  return problems;
}
