import { existsSync } from 'node:fs';
import type { SecondBucket } from './stats';

interface Line {
  label: string;
  color: string;
  points: Array<number | undefined>;
}

const width = 960;
const panelHeight = 200;
const margin = { left: 70, right: 20, top: 30, bottom: 30 };
const palette = ['#1f5fbf', '#c0392b', '#1e7b34', '#8e44ad', '#d35400', '#16a085', '#7f8c8d', '#2c3e50'];

function panel(title: string, unit: string, lines: Line[], top: number, seconds: number): string {
  const values = lines.flatMap((line) => line.points.filter((value): value is number => value !== undefined));
  const max = Math.max(1, ...values) * 1.1;
  const plotWidth = width - margin.left - margin.right;
  const x = (second: number) => margin.left + (second / Math.max(1, seconds - 1)) * plotWidth;
  const y = (value: number) => top + margin.top + panelHeight - (value / max) * panelHeight;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => share * max);
  const grid = ticks
    .map(
      (tick) =>
        `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e3e6eb"/>` +
        `<text x="${margin.left - 8}" y="${y(tick) + 4}" text-anchor="end" font-size="11">${Math.round(tick)}</text>`,
    )
    .join('');
  const paths = lines
    .map((line) => {
      const d = line.points
        .map((value, second) => (value === undefined ? '' : `${x(second).toFixed(1)},${y(value).toFixed(1)}`))
        .filter(Boolean)
        .join(' L');
      return d ? `<path d="M${d}" fill="none" stroke="${line.color}" stroke-width="1.5"/>` : '';
    })
    .join('');
  const legend = lines
    .map(
      (line, index) =>
        `<rect x="${width - margin.right - (lines.length - index) * 120}" y="${top + margin.top - 14}" width="12" height="3" fill="${line.color}"/>` +
        `<text x="${width - margin.right - (lines.length - index) * 120 + 16}" y="${top + margin.top - 9}" font-size="11">${line.label}</text>`,
    )
    .join('');
  return (
    `<text x="${margin.left}" y="${top + margin.top - 6}" font-size="13" font-weight="600">${title} (${unit})</text>` +
    grid +
    paths +
    legend
  );
}

/** Throughput, latency and consumer lag over the run's seconds, as one SVG. */
export function buildChart(input: {
  title: string;
  series: readonly SecondBucket[];
  lag: ReadonlyArray<{ second: number; byGroup: Record<string, number> }>;
}): string {
  const seconds = input.series.length;
  const groups = [...new Set(input.lag.flatMap((sample) => Object.keys(sample.byGroup)))];
  const lagLines: Line[] = groups.map((group, index) => ({
    label: group.replace(/^.*wms-webhooks-/, ''),
    color: palette[index % palette.length] as string,
    points: Array.from(
      { length: seconds },
      (_, second) => input.lag.find((sample) => sample.second === second)?.byGroup[group],
    ),
  }));
  const panels = [
    panel(
      'Deliveries per second',
      'distinct delivery ids answered 2xx',
      [
        {
          label: 'deliveries/s',
          color: palette[0] as string,
          points: input.series.map((bucket) => bucket.deliveries),
        },
      ],
      40,
      seconds,
    ),
    panel(
      'Latency, scheduled produce → arrival',
      'ms',
      [
        { label: 'p50', color: palette[2] as string, points: input.series.map((bucket) => bucket.p50Ms) },
        { label: 'p99', color: palette[1] as string, points: input.series.map((bucket) => bucket.p99Ms) },
      ],
      40 + panelHeight + 60,
      seconds,
    ),
    panel('Consumer lag', 'records', lagLines, 40 + 2 * (panelHeight + 60), seconds),
  ];
  const height = 40 + 3 * (panelHeight + 60) + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${margin.left}" y="24" font-size="15" font-weight="700">${input.title}</text>
${panels.join('\n')}
<text x="${width / 2}" y="${height - 4}" text-anchor="middle" font-size="11">seconds since the first event</text>
</svg>`;
}

/** The SVG as a PNG, rendered by Debian's Chromium; undefined (with the reason) when there is none. */
export async function renderPng(svg: string, path: string): Promise<string | undefined> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) return `no Chromium at ${executablePath}; the SVG is written alone`;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 960, height: 820 } });
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path });
    return undefined;
  } finally {
    await browser.close();
  }
}
