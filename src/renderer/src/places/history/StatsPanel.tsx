/**
 * Statistics from `runs.stats`, for one schedule or for all: success rate, duration p50 and p95, a
 * bar per day stacked by status, and the duration trend. Charts are uPlot; numbers are the API's.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { RunStats } from '../../../../shared/api';
import type { RunStatus } from '../../../../shared/domain';
import { formatDuration, viewerZone } from '../../lib/time';
import { useStores } from '../../stores';
import { cssColor, UPlotChart, type ChartOptions } from './UPlotChart';
import { STATUS_LABELS } from './words';

const DAY_MS = 86_400_000;
export const STATS_DAYS = 30;

/** Bottom to top of each day's bar. */
const STACK: { status: RunStatus; color: [string, string] }[] = [
  { status: 'succeeded', color: ['--green', '#15803d'] },
  { status: 'failed', color: ['--red', '#b91c1c'] },
  { status: 'timed-out', color: ['--amber', '#b45309'] },
  { status: 'interrupted', color: ['--danger', '#dc2626'] },
  { status: 'cancelled', color: ['--gray', '#4b5563'] },
  { status: 'skipped', color: ['--muted', '#677084'] },
  { status: 'missed', color: ['--accent', '#4f46e5'] },
  { status: 'running', color: ['--blue', '#1d4ed8'] },
  { status: 'queued', color: ['--blue', '#1d4ed8'] },
];

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)} %`;
}

const dayStart = (day: string) => Date.parse(`${day}T12:00:00Z`) / 1000;

function axisColors() {
  const text = cssColor('--muted', '#677084');
  const grid = cssColor('--border', '#e2e5ea');
  return { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
}

export function StatsPanel({
  scheduleId,
  title = 'Last 30 days',
}: {
  scheduleId?: string | null;
  title?: string;
}) {
  const { api } = useStores();
  const [stats, setStats] = useState<RunStats | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const to = Date.now();
    void api
      .invoke('runs.stats', {
        ...(scheduleId ? { scheduleId } : {}),
        from: new Date(to - STATS_DAYS * DAY_MS).toISOString(),
        to: new Date(to).toISOString(),
        timezone: viewerZone(),
      })
      .then((result) => {
        if (!live) return;
        if (result.ok) {
          setStats(result.value);
          setError(null);
        } else setError(result.error.message);
      });
    return () => {
      live = false;
    };
  }, [api, scheduleId]);

  const stacked = useMemo<uPlot.AlignedData | null>(() => {
    if (!stats) return null;
    const xs = stats.days.map((day) => dayStart(day.day));
    // Cumulative tops: each series is drawn from zero to its top, tallest first, so they stack.
    const tops: number[][] = [];
    let running = stats.days.map(() => 0);
    for (const { status } of STACK) {
      running = running.map((sum, i) => sum + (stats.days[i]!.byStatus?.[status] ?? 0));
      tops.push(running);
    }
    return [xs, ...tops.reverse()];
  }, [stats]);

  const trend = useMemo<uPlot.AlignedData | null>(() => {
    if (!stats) return null;
    return [
      stats.days.map((day) => dayStart(day.day)),
      stats.days.map((day) => day.durationMs?.p50 ?? null),
      stats.days.map((day) => day.durationMs?.p95 ?? null),
    ];
  }, [stats]);

  const barOptions = useCallback((UPlot: typeof uPlot): ChartOptions => {
    const axis = axisColors();
    const bars = () => UPlot.paths.bars!({ size: [0.7, 40] });
    const ordered = [...STACK].reverse();
    return {
      legend: { show: false },
      cursor: { y: false, points: { show: false } },
      scales: {
        x: { time: true },
        y: { range: (u) => [0, Math.max(1, ...((u.data[1] ?? []) as number[])) * 1.1] },
      },
      axes: [
        { ...axis, space: 60 },
        { ...axis, size: 50 },
      ],
      series: [
        {},
        ...ordered.map(({ status, color }) => {
          const fill = cssColor(color[0], color[1]);
          return {
            label: STATUS_LABELS[status],
            fill,
            stroke: fill,
            width: 0,
            paths: bars(),
            points: { show: false },
          };
        }),
      ],
    };
  }, []);

  const trendOptions = useCallback((): ChartOptions => {
    const axis = axisColors();
    const p50 = cssColor('--accent', '#4f46e5');
    const p95 = cssColor('--amber', '#b45309');
    return {
      legend: { show: false },
      cursor: { y: false },
      scales: { x: { time: true } },
      axes: [
        { ...axis, space: 60 },
        { ...axis, size: 60, values: (_u, ticks) => ticks.map((ms) => formatDuration(Math.round(ms))) },
      ],
      series: [
        {},
        { label: 'p50', stroke: p50, width: 2, spanGaps: true, points: { size: 4 } },
        { label: 'p95', stroke: p95, width: 2, dash: [6, 4], spanGaps: true, points: { size: 4 } },
      ],
    };
  }, []);

  return (
    <section className="card stats" aria-labelledby="stats-title" data-testid="stats">
      <div className="card-head">
        <h2 id="stats-title" className="card-title">
          Statistics
        </h2>
        <span className="muted">
          {title}, {viewerZone()}
        </span>
      </div>
      {error ? <p className="inline-error">Could not load statistics: {error}</p> : null}
      {stats ? (
        <>
          <dl className="stats-figures">
            <div>
              <dt>Runs</dt>
              <dd data-testid="stats-total">{stats.total.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Success rate</dt>
              <dd data-testid="stats-success" data-value={stats.successRate ?? ''}>
                {percent(stats.successRate)}
              </dd>
            </div>
            <div>
              <dt>Duration p50</dt>
              <dd data-testid="stats-p50" data-ms={stats.durationMs?.p50 ?? ''}>
                {formatDuration(stats.durationMs?.p50)}
              </dd>
            </div>
            <div>
              <dt>Duration p95</dt>
              <dd data-testid="stats-p95" data-ms={stats.durationMs?.p95 ?? ''}>
                {formatDuration(stats.durationMs?.p95)}
              </dd>
            </div>
            <div>
              <dt>Failed</dt>
              <dd data-testid="stats-failed">
                {(
                  stats.byStatus.failed +
                  stats.byStatus['timed-out'] +
                  stats.byStatus.interrupted
                ).toLocaleString()}
              </dd>
            </div>
            <div>
              <dt>Missed</dt>
              <dd data-testid="stats-missed">{stats.byStatus.missed.toLocaleString()}</dd>
            </div>
          </dl>
          <div className="stats-charts">
            <figure>
              <figcaption>Runs per day, by status</figcaption>
              {stacked ? (
                <UPlotChart
                  options={barOptions}
                  data={stacked}
                  height={150}
                  label={`Runs per day by status over the last ${STATS_DAYS} days`}
                  testId="chart-days"
                />
              ) : null}
              <ul className="stats-legend" aria-label="Status colours">
                {STACK.filter(({ status }) => stats.byStatus[status] > 0).map(({ status }) => (
                  <li key={status}>
                    <span className={`swatch swatch-${status}`} aria-hidden="true" />
                    {STATUS_LABELS[status]} {stats.byStatus[status].toLocaleString()}
                  </li>
                ))}
              </ul>
            </figure>
            <figure>
              <figcaption>Duration per day (p50 solid, p95 dashed)</figcaption>
              {trend ? (
                <UPlotChart
                  options={trendOptions}
                  data={trend}
                  height={150}
                  label="Duration trend: daily p50 and p95"
                  testId="chart-trend"
                />
              ) : null}
            </figure>
          </div>
        </>
      ) : error ? null : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}
