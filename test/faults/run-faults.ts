import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveEndpoints } from '@wms-webhooks/endpoints';
import { formatTable } from '@wms-webhooks/local-stack';
import { startSideCluster } from '../support/side-cluster';
import { type CaseResult, faultCases } from './fault-cases';
import { startFaultPipeline } from './fault-pipeline';

/** A partition that made no progress for longer than this, outside a fault window, counts as stalled. */
const stallLimitSeconds = 30;

const usage = `usage: npm run faults [-- --short] [--case name,name] [--skip name,name]
cases: ${faultCases.map((entry) => entry.name).join(', ')}`;

async function main() {
  const { values } = parseArgs({
    options: {
      short: { type: 'boolean', default: false },
      case: { type: 'string' },
      skip: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return console.log(usage);
  const skipped = values.skip?.split(',') ?? [];
  const chosen = (values.case?.split(',') ?? faultCases.map((entry) => entry.name)).filter(
    (name) => !skipped.includes(name),
  );
  const unknown = [...chosen, ...skipped].filter((name) => !faultCases.some((entry) => entry.name === name));
  if (unknown.length > 0) throw new Error(`unknown case ${unknown.join(', ')}\n${usage}`);

  const runId = `${new Date().toISOString().replace(/[:.]/g, '-')}${values.short ? '-short' : ''}`;
  const resultsDir = join(import.meta.dirname, 'results', runId);
  mkdirSync(resultsDir, { recursive: true });
  const endpoints = await resolveEndpoints({ start: true, log: (line) => console.log(line) });
  for (const name of skipped) console.log(`skipped, as asked: ${name}`);
  const results: CaseResult[] = [];
  for (const faultCase of faultCases.filter((entry) => chosen.includes(entry.name))) {
    console.log(`\n${faultCase.name}: ${faultCase.summary}`);
    const started = Date.now();
    const cluster = faultCase.threeNodeCluster
      ? await startSideCluster(join(resultsDir, 'cluster'), (line) => console.log(`  ${line}`))
      : undefined;
    const pipeline = await startFaultPipeline(
      faultCase.name,
      cluster ? { ...endpoints, kafkaBrokers: cluster.brokers } : endpoints,
      join(resultsDir, 'logs'),
      faultCase.env,
      cluster,
    );
    try {
      const outcome = await faultCase.run(pipeline, values.short);
      const filed = await pipeline.filed();
      const checks = [
        { what: 'nothing lost', ok: outcome.lost === 0 },
        {
          what: `no partition without progress for over ${stallLimitSeconds} s outside the fault`,
          ok: pipeline.monitor.longestStallMs <= stallLimitSeconds * 1000,
        },
        ...(outcome.expectFiled
          ? [
              {
                what: `${outcome.expectFiled.quarantined} quarantined and ${outcome.expectFiled.invalid} filed invalid`,
                ok:
                  filed.quarantined === outcome.expectFiled.quarantined &&
                  filed.invalid === outcome.expectFiled.invalid,
              },
            ]
          : [{ what: 'nothing quarantined or filed invalid', ok: filed.quarantined + filed.invalid === 0 }]),
        ...outcome.checks,
      ];
      const { expectFiled: _filed, ...counts } = outcome;
      results.push({
        ...counts,
        name: faultCase.name,
        ...filed,
        longestStallSeconds: Math.round(pipeline.monitor.longestStallMs / 100) / 10,
        stallAt: pipeline.monitor.longestStallAt,
        checks,
      });
    } finally {
      await pipeline.close();
      await cluster?.stop();
    }
    const last = results.at(-1) as CaseResult;
    console.log(`  took ${Math.round((Date.now() - started) / 1000)} s`);
    for (const check of last.checks) console.log(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.what}`);
    for (const note of last.notes) console.log(`  note: ${note}`);
  }

  console.log(
    `\n${formatTable(
      [
        'case',
        'published',
        'expected',
        'delivered',
        'duplicates',
        'lost',
        'quarantined',
        'invalid',
        'longest no progress',
        'result',
      ],
      results.map((entry) => [
        entry.name,
        String(entry.published),
        String(entry.expected),
        String(entry.delivered),
        String(entry.duplicates),
        String(entry.lost),
        String(entry.quarantined),
        String(entry.invalid),
        `${entry.longestStallSeconds} s${entry.stallAt ? ` ${entry.stallAt}` : ''}`,
        entry.checks.every((check) => check.ok) ? 'pass' : 'FAIL',
      ]),
    )}`,
  );
  writeFileSync(
    join(resultsDir, 'results.json'),
    `${JSON.stringify({ short: values.short, results }, null, 2)}\n`,
  );
  console.log(`\nresults and service logs: ${resultsDir}`);
  if (results.some((entry) => entry.checks.some((check) => !check.ok))) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
