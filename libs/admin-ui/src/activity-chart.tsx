import type { HourOfActivity } from './types';

/**
 * Attempts per hour over the last 24 hours as bars, failures in red over the rest. Drawn from the
 * writers' counts, so it costs the page no read of the log.
 */
export function ActivityChart({ hourly, size }: { hourly: HourOfActivity[]; size: 'small' | 'large' }) {
  const width = size === 'small' ? 96 : 480;
  const height = size === 'small' ? 20 : 80;
  const attempts = hourly.reduce((sum, hour) => sum + hour.attempts, 0);
  const failures = hourly.reduce((sum, hour) => sum + hour.failures, 0);
  const peak = Math.max(1, ...hourly.map((hour) => hour.attempts));
  const slot = width / Math.max(1, hourly.length);
  const label = `Last 24 hours: ${attempts} attempts, ${failures} failed`;
  return (
    <svg className={`activity-chart ${size}`} width={width} height={height} role="img" aria-label={label}>
      <title>{label}</title>
      {hourly.map((hour, index) => {
        const total = (hour.attempts / peak) * height;
        const failed = (hour.failures / peak) * height;
        const x = index * slot;
        return (
          <g key={hour.hour}>
            <title>{`${new Date(hour.hour).toLocaleString()}: ${hour.attempts} attempts, ${hour.failures} failed`}</title>
            <rect className="succeeded" x={x} y={height - total} width={slot - 1} height={total - failed} />
            <rect className="failed" x={x} y={height - failed} width={slot - 1} height={failed} />
          </g>
        );
      })}
    </svg>
  );
}
