export interface ChartPoint {
  /** When the bar's period starts. */
  start: string;
  attempts: number;
  failures: number;
}

/**
 * Attempts per period as bars, failures in red over the rest. Drawn from the writers' counts (and, over
 * days, the hours folded from them), so it costs the page no read of the log.
 */
export function ActivityChart({
  points,
  size,
  period,
}: {
  points: ChartPoint[];
  size: 'small' | 'large';
  /** What the chart spans, for its label: "Last 24 hours". */
  period: string;
}) {
  const width = size === 'small' ? 96 : 480;
  const height = size === 'small' ? 20 : 80;
  const attempts = points.reduce((sum, point) => sum + point.attempts, 0);
  const failures = points.reduce((sum, point) => sum + point.failures, 0);
  const peak = Math.max(1, ...points.map((point) => point.attempts));
  const slot = width / Math.max(1, points.length);
  const label = `${period}: ${attempts} attempts, ${failures} failed`;
  return (
    <svg className={`activity-chart ${size}`} width={width} height={height} role="img" aria-label={label}>
      <title>{label}</title>
      {points.map((point, index) => {
        const total = (point.attempts / peak) * height;
        const failed = (point.failures / peak) * height;
        const x = index * slot;
        return (
          <g key={point.start}>
            <title>{`${new Date(point.start).toLocaleString()}: ${point.attempts} attempts, ${point.failures} failed`}</title>
            <rect className="succeeded" x={x} y={height - total} width={slot - 1} height={total - failed} />
            <rect className="failed" x={x} y={height - failed} width={slot - 1} height={failed} />
          </g>
        );
      })}
    </svg>
  );
}
