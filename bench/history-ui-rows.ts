/**
 * The table rows of the `history-ui` workload (issues 14 and 17): each moment beside its goal.
 * Kept apart from run.ts so registering the workload there stays a few lines.
 */
type Cell = number | string | null;
export interface UiRow {
  figure: string;
  size: string;
  unit: string;
  almanac: Cell;
  peers: Record<string, Cell>;
  goal: string;
  met: boolean | null;
  notes?: string;
}

export function historyUiRows(result: Record<string, unknown> | null, error: string | null): UiRow[] {
  const get = (key: string): Cell => (result ? ((result[key] as number | undefined) ?? null) : error);
  const scroll = (result?.scroll ?? null) as Record<string, number> | null;
  const runs = result ? (result.runs as number).toLocaleString('en-US') : '1,000,000';
  const size = `100 + ${runs} runs`;
  const row = (
    figure: string,
    value: Cell,
    unit: string,
    goal: string,
    limit: number | null,
    notes?: string,
    rowSize = size,
  ): UiRow => ({
    figure,
    size: rowSize,
    unit,
    almanac: value,
    peers: {},
    goal,
    met: limit === null ? null : typeof value === 'number' && value <= limit,
    ...(notes ? { notes } : {}),
  });
  return [
    row(
      'UI: process start → first API answer',
      get('firstAnswerMs'),
      'ms',
      '≤ 500 ms',
      500,
      'spawn of out/main/serve.js to app.status answered over HTTP',
    ),
    row(
      'UI: page load → first row of Schedules',
      get('loadToSchedulesMs'),
      'ms',
      '≤ 300 ms',
      300,
      'Chromium 1440×900, navigation start to the first schedule row in the DOM',
    ),
    row(
      'UI: click History → rows painted',
      get('historyMs'),
      'ms',
      '≤ 300 ms',
      300,
      result ? `first visit (its chunk loads) ${get('historyColdMs') as number} ms` : undefined,
    ),
    row(
      'UI: scrolling 10,000 history rows, longest task',
      scroll ? scroll.longestTaskMs! : error,
      'ms',
      'no task > 50 ms',
      50,
      scroll
        ? `${scroll.longTasks} long tasks; reached row ${scroll.reached!.toLocaleString('en-US')} in ${scroll.ms} ms, paging runs.list as it went`
        : undefined,
    ),
    row('UI: click Calendar → counts', get('calendarMs'), 'ms', '≤ 300 ms', 300),
    row(
      'UI: long tasks during the visit, longest',
      get('visitLongestTaskMs'),
      'ms',
      'none > 50 ms',
      50,
      result
        ? `${get('visitLongTasks') as number} long tasks (Long Tasks API) from load to the calendar`
        : undefined,
    ),
    row(
      'UI: runs.stats, all schedules, default range',
      get('statsAllMs'),
      'ms',
      '≤ 50 ms',
      50,
      'median of 6 calls over HTTP (30 days)',
    ),
    row(
      'UI: a schedule’s page with stats → painted',
      get('schedulePageMs'),
      'ms',
      '≤ 300 ms',
      300,
      result ? `from a history row's link; first visit ${get('schedulePageColdMs') as number} ms` : undefined,
      '100,000 runs of it',
    ),
    row(
      'UI: renderer main chunk, gzipped',
      get('mainChunkGzipKb'),
      'KB',
      '≤ 400 KB',
      400,
      'places load lazily (React.lazy)',
      'out/renderer',
    ),
  ];
}
