import { join } from 'node:path';
import type { hopTimes } from './hop-times';
import type { balanceLedger } from './ledger';
import type { LoopMonitor } from './loop-monitor';

/** The run's figures as the terminal shows them; results.json holds every one of them. */
export function printReport(
  results: {
    ledger: ReturnType<typeof balanceLedger>;
    throughput: {
      sustainedDeliveriesPerSecond: number;
      peakDeliveriesPerSecond: number;
      wholeRunDeliveriesPerSecond: number;
      best60sDeliveriesPerSecond: number | null;
    };
    latencyMs: { firstAttempt: Record<string, number | undefined>; byHop: ReturnType<typeof hopTimes> };
    producing: { eventsPerSecond: number };
    asked: { deliveriesPerSecond: number; firstAttemptsPerSecond: number };
    settings: { preset: string; failShare: number };
    benchEventLoop: ReturnType<LoopMonitor['summary']>;
    processes: Array<{ name: string; cpuPercent: number; peakRssMb: number; rssGrowthMbPerMinute: number }>;
    cpu: { msPerDelivery: number | null; seconds: number; deliveries: number };
    expectedPerEvent: number;
  },
  resultsDir: string,
  pngProblem: string | undefined,
) {
  const { ledger } = results;
  const first = results.latencyMs.firstAttempt;
  console.log('');
  console.log(
    `ledger      expected ${ledger.expected} = delivered ${ledger.delivered} + failed-final ${ledger.failedFinal} + in retry ${ledger.stillInRetry}`,
  );
  console.log(
    `            missing ${ledger.missing}, unexpected ${ledger.unexpected}, duplicates ${ledger.duplicates}: ${ledger.balanced ? 'BALANCED' : 'DOES NOT BALANCE: run invalid'}`,
  );
  console.log(
    `load        ${results.producing.eventsPerSecond} events/s produced, ${results.expectedPerEvent} deliveries per event: ${results.asked.deliveriesPerSecond} deliveries/s asked`,
  );
  console.log(
    `            ${results.asked.firstAttemptsPerSecond}/s of them succeed at the first attempt (the receiver fails ${results.settings.failShare * 100}% first), the most the throughput below can show`,
  );
  console.log(
    `throughput  ${results.throughput.sustainedDeliveriesPerSecond} deliveries/s sustained (peak ${results.throughput.peakDeliveriesPerSecond}; ${results.throughput.wholeRunDeliveriesPerSecond} over the whole run; best 60 s ${results.throughput.best60sDeliveriesPerSecond ?? 'n/a: shorter run'})`,
  );
  console.log(
    `latency     p50 ${first.p50} ms, p95 ${first.p95} ms, p99 ${first.p99} ms, max ${first.max} ms (first attempts, scheduled produce → arrival)`,
  );
  const { count, ...hops } = results.latencyMs.byHop;
  console.log(
    `by hop      ${Object.entries(hops)
      .map(([hop, figures]) => `${hop} ${figures.p50}/${figures.p95}/${figures.p99}`)
      .join(', ')} ms p50/p95/p99 (${count} first attempts traced through the topics' record timestamps)`,
  );
  console.log(
    `cpu         ${results.cpu.msPerDelivery ?? 'n/a'} ms per delivery, whole box (${results.cpu.seconds} CPU s of every process over ${results.cpu.deliveries} requests answered)`,
  );
  const loop = results.benchEventLoop;
  console.log(
    `bench loop  longest delay ${loop.worstMs} ms; ${loop.stalls.length} second(s) with ${loop.thresholdMs} ms or more (the generator and receiver's own event loop)`,
  );
  console.log('');
  console.log(
    `${'process'.padEnd(30)}${'cpu %'.padStart(7)}${'peak MB'.padStart(9)}${'MB/min'.padStart(9)}  (RSS trend over the second half)`,
  );
  for (const entry of results.processes) {
    console.log(
      `${entry.name.padEnd(30)}${String(entry.cpuPercent).padStart(7)}${String(entry.peakRssMb).padStart(9)}${entry.rssGrowthMbPerMinute.toFixed(1).padStart(9)}`,
    );
  }
  console.log('');
  console.log(`results: ${join(resultsDir, 'results.json')}`);
  console.log(
    pngProblem
      ? `chart: ${join(resultsDir, 'chart.svg')} (${pngProblem})`
      : `chart: ${join(resultsDir, 'chart.png')}`,
  );
}
