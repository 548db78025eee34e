/**
 * `npm run bench [-- --quick] [-- --check] [-- --only=NAME,...]`: every workload of DESIGN.md §8,
 * each in its own child process (Almanac and each peer separately, so they never share an event
 * loop), then one table: figure, Almanac, each peer, goal, ratio to the best peer. Results also go
 * to bench/results/ as JSON. `--quick` shrinks durations (and a few sizes, shown in the table) to
 * stay under 3 minutes; `--check` exits 1 when a goal is missed.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parseReport, PEERS, sleep, tempDataDir, type Impl, type Peer } from './harness';
import { historyUiRows } from './history-ui-rows';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const check = args.includes('--check');
const only = args
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const buildDir = path.join(here, 'results', '.build');

const sizes = quick
  ? {
      lagSeconds: 3,
      lag10kSeconds: 4,
      idleSeconds: 30,
      idleNodeSchedule: 1_000,
      lagNodeSchedule: 2_000,
      burstNodeSchedule: 1_000,
      catchUp: 3_000,
      runs: 200_000,
      timeoutMs: 90_000,
    }
  : {
      lagSeconds: 60,
      lag10kSeconds: 60,
      idleSeconds: 60,
      idleNodeSchedule: 10_000,
      lagNodeSchedule: 10_000,
      burstNodeSchedule: 10_000,
      catchUp: 10_000,
      runs: 1_000_000,
      timeoutMs: 600_000,
    };

// ── children ────────────────────────────────────────────────────────────────

/** Runs one bundled workload in a fresh node process; resolves to its report, or an error text. */
function child(
  script: string,
  scriptArgs: (string | number)[],
): Promise<{ result: Record<string, unknown> | null; error: string | null; ms: number }> {
  const began = performance.now();
  return new Promise((resolve) => {
    const proc = spawn(
      process.execPath,
      ['--expose-gc', path.join(buildDir, `${script}.js`), ...scriptArgs.map(String)],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => proc.kill('SIGKILL'), sizes.timeoutMs);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - began;
      note(`    ${script} ${scriptArgs.slice(0, 2).join(' ')}: ${(ms / 1000).toFixed(1)} s`);
      try {
        resolve({ result: parseReport(stdout) as Record<string, unknown>, error: null, ms });
      } catch {
        const why = signal === 'SIGKILL' ? `timed out after ${sizes.timeoutMs / 1000} s` : `exit ${code}`;
        const last = stderr.trim().split('\n').slice(-3).join(' | ');
        process.stderr.write(`  ${script} ${scriptArgs.join(' ')}: ${why}${last ? `: ${last}` : ''}\n`);
        resolve({ result: null, error: signal === 'SIGKILL' ? 'timeout' : 'error', ms });
      }
    });
  });
}

function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

// ── the table ───────────────────────────────────────────────────────────────

type Cell = number | string | null;

interface Row {
  figure: string;
  size: string;
  unit: string;
  almanac: Cell;
  peers: Partial<Record<Peer, Cell>>;
  goal: string;
  /** null: no goal (an information row) */
  met: boolean | null;
  notes?: string;
}

const rows: Row[] = [];
const raw: Record<string, unknown> = {};

const num = (value: Cell): value is number => typeof value === 'number' && Number.isFinite(value);

function fmt(value: Cell, unit: string): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })}${unit ? ` ${unit}` : ''}`;
}

function ratio(row: Row): string {
  const peerValues = Object.values(row.peers).filter(num);
  if (!num(row.almanac) || peerValues.length === 0) return '—';
  const best = Math.min(...peerValues);
  if (best === 0) return row.almanac === 0 ? '1×' : '∞';
  const r = row.almanac / best;
  return `${r < 0.1 ? r.toFixed(3) : r.toFixed(2)}×`;
}

function printTable(): string {
  const header = ['figure', 'size', 'Almanac', ...PEERS, 'goal', 'vs best peer', ''];
  const lines = rows.map((row) => [
    row.figure,
    row.size,
    fmt(row.almanac, row.unit),
    ...PEERS.map((peer) => fmt(row.peers[peer] ?? null, row.unit)),
    row.goal,
    ratio(row),
    row.met === null ? '' : row.met ? 'ok' : 'MISSED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const render = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i >= 2 && i <= 5 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  const out = [render(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(render)];
  const notes = rows.filter((row) => row.notes).map((row) => `- ${row.figure}: ${row.notes}`);
  return [...out, '', ...notes].join('\n');
}

const wanted = (name: string) => !only || only.includes(name);

// ── workloads ───────────────────────────────────────────────────────────────

async function lagAll(name: string, count: (impl: Impl) => number, seconds: number, shape: string) {
  const out: Partial<Record<Impl, Record<string, unknown> | string>> = {};
  for (const impl of ['almanac', ...PEERS] as Impl[]) {
    note(`• ${name}: ${impl}`);
    const { result, error } = await child('start-lag', [impl, count(impl), seconds, shape]);
    out[impl] = result ?? error!;
  }
  raw[name] = out;
  return out;
}

const field = (entry: Record<string, unknown> | string | undefined, key: string): Cell =>
  entry === undefined ? null : typeof entry === 'string' ? entry : ((entry[key] as number | null) ?? null);

/** A figure, with the size it was measured at when that differs from the row's. */
function sized(
  entry: Record<string, unknown> | string | undefined,
  key: string,
  unit: string,
  size: number,
): Cell {
  const value = field(entry, key);
  const own = typeof entry === 'object' ? (entry.schedules as number) : size;
  return num(value) && own !== size ? `${fmt(value, unit)} (${own.toLocaleString('en-US')})` : value;
}

async function startLag() {
  const lag1k = await lagAll('start-lag-1k', () => 1000, sizes.lagSeconds, 'every-second');
  const croner = field(lag1k.croner, 'p99');
  const almanac1k = field(lag1k.almanac, 'p99');
  rows.push({
    figure: 'start lag p99, 1,000 firing every second',
    size: `1,000 × ${sizes.lagSeconds} s`,
    unit: 'ms',
    almanac: almanac1k,
    peers: Object.fromEntries(PEERS.map((peer) => [peer, field(lag1k[peer], 'p99')])),
    goal: '≤ 5 ms and ≤ croner',
    met: num(almanac1k) && almanac1k <= 5 && (!num(croner) || almanac1k <= croner),
  });
  for (const [what, key] of [
    ['fires dropped', 'droppedPct'],
    ['fires run twice', 'doubledPct'],
  ] as const) {
    rows.push({
      figure: `${what}, 1,000 firing every second`,
      size: `1,000 × ${sizes.lagSeconds} s`,
      unit: '%',
      almanac: field(lag1k.almanac, key),
      peers: Object.fromEntries(PEERS.map((peer) => [peer, field(lag1k[peer], key)])),
      goal: '0 (DESIGN §4.1)',
      met: field(lag1k.almanac, key) === 0,
    });
  }

  const lag10k = await lagAll(
    'start-lag-10k',
    (impl) => (impl === 'node-schedule' ? sizes.lagNodeSchedule : 10_000),
    sizes.lag10kSeconds,
    'every-minute',
  );
  const almanac10k = field(lag10k.almanac, 'p99');
  rows.push({
    figure: 'start lag p99, 10,000 schedules',
    size: `10,000 × ${sizes.lag10kSeconds} s`,
    unit: 'ms',
    almanac: almanac10k,
    peers: Object.fromEntries(PEERS.map((peer) => [peer, sized(lag10k[peer], 'p99', 'ms', 10_000)])),
    goal: '≤ 20 ms',
    met: num(almanac10k) && almanac10k <= 20,
    notes:
      'each schedule fires once a minute, at second i mod 60 (≈167 due each second)' +
      (sizes.lagNodeSchedule !== 10_000
        ? `; node-schedule at ${sizes.lagNodeSchedule.toLocaleString('en-US')} in --quick (≈1 ms per job to set up)`
        : ''),
  });
  const rss = field(lag10k.almanac, 'peakRssMb');
  rows.push({
    figure: 'RSS, 10,000 schedules running',
    size: '10,000',
    unit: 'MB',
    almanac: rss,
    peers: Object.fromEntries(PEERS.map((peer) => [peer, sized(lag10k[peer], 'peakRssMb', 'MB', 10_000)])),
    goal: '≤ 150 MB',
    met: num(rss) && rss <= 150,
    notes:
      'peak RSS of the start-lag 10,000 process (bundled, no tsx), with the run history it wrote; Node alone is ≈40 MB',
  });
}

async function idle(alongside?: () => Promise<void>) {
  const count = (impl: Impl) => (impl === 'node-schedule' ? sizes.idleNodeSchedule : 10_000);
  note(`• idle: all four in parallel, ${sizes.idleSeconds} s (nothing due; they do not compete for CPU)`);
  const impls = ['almanac', ...PEERS] as Impl[];
  const running = Promise.all([
    ...impls.map((impl) => child('idle', [impl, count(impl), sizes.idleSeconds])),
    // the desktop's engine: OS wake signals, so its timer waits up to 60 s (DESIGN §4.4)
    child('idle', ['almanac', 10_000, sizes.idleSeconds, 'wake']),
  ]);
  if (alongside) {
    // --quick: once their set-up is done the idle processes sleep; another workload uses the wait
    await sleep(count('node-schedule') * 6 + 4000);
    await alongside();
  }
  const results = await running;
  const by = Object.fromEntries(impls.map((impl, i) => [impl, results[i]!.result ?? results[i]!.error!]));
  const desktop = results[impls.length]!.result ?? results[impls.length]!.error!;
  raw.idle = { ...by, almanacWithWakeSignals: desktop };
  const sizeNote = (impl: Impl, value: Cell) =>
    num(value) && count(impl) !== 10_000
      ? `${fmt(value, '')} (${count(impl).toLocaleString('en-US')})`
      : value;
  const cpu = field(by.almanac, 'cpuPct');
  rows.push({
    figure: 'idle CPU, nothing due',
    size: `10,000 × ${sizes.idleSeconds} s`,
    unit: '%',
    almanac: cpu,
    peers: Object.fromEntries(PEERS.map((peer) => [peer, sizeNote(peer, field(by[peer], 'cpuPct'))])),
    goal: '≤ 0.2 % of a core',
    met: num(cpu) && cpu <= 0.2,
    notes: 'browser mode (no wake signals, 5 s timer cap)',
  });
  const desktopCpu = field(desktop, 'cpuPct');
  const desktopWakeups = field(desktop, 'wakeupsPerMin');
  rows.push({
    figure: 'idle CPU, nothing due, with wake signals',
    size: `10,000 × ${sizes.idleSeconds} s`,
    unit: '%',
    almanac: desktopCpu,
    peers: {},
    goal: '≤ 0.2 % of a core',
    met: num(desktopCpu) && desktopCpu <= 0.2,
    notes: 'the desktop: resume and unlock wake the engine, so its timer waits up to 60 s',
  });
  rows.push({
    figure: 'idle timer wake-ups per minute, with wake signals',
    size: `10,000 × ${sizes.idleSeconds} s`,
    unit: '',
    almanac: desktopWakeups,
    peers: {},
    goal: '≤ 1 a minute',
    met: num(desktopWakeups) && desktopWakeups <= 1,
    notes: `every timer callback in the process over a ${sizes.idleSeconds} s window (a shorter window than the 60 s cap undercounts or rounds up)`,
  });
  const wakeups = field(by.almanac, 'wakeupsPerMin');
  rows.push({
    figure: 'idle timer wake-ups per minute, without wake signals',
    size: `10,000 × ${sizes.idleSeconds} s`,
    unit: '',
    almanac: wakeups,
    peers: Object.fromEntries(PEERS.map((peer) => [peer, sizeNote(peer, field(by[peer], 'wakeupsPerMin'))])),
    goal: '≤ 12 a minute',
    met: num(wakeups) && wakeups <= 12,
    notes:
      'every timer callback in the process; croner re-arms each job at most 30 s ahead, so short windows undercount it' +
      '; node-cron re-arms at most 24 h ahead, node-schedule 24.8 days, Almanac every 5 s (DESIGN §4.4: suspend and clock-jump detection)' +
      (count('node-schedule') !== 10_000
        ? `; node-schedule at ${count('node-schedule').toLocaleString('en-US')} in --quick (≈6 ms per job to set up)`
        : '') +
      (alongside
        ? '; --quick ran the history workload during the window (each process counts its own CPU time)'
        : ''),
  });
}

async function burst() {
  const out: Partial<Record<Impl, Record<string, unknown> | string>> = {};
  for (const impl of ['almanac', ...PEERS] as Impl[]) {
    const count = impl === 'node-schedule' ? sizes.burstNodeSchedule : 10_000;
    note(`• burst: ${impl}`);
    const { result, error } = await child('burst', [impl, count]);
    out[impl] = result ?? error!;
  }
  raw.burst = out;
  const cell = (impl: Impl): Cell => {
    const entry = out[impl];
    if (typeof entry !== 'object') return entry ?? null;
    const value = entry.allStartedMs as number | null;
    const count = entry.schedules as number;
    if (value === null) return `${entry.started as number} of ${count} in 10 s`;
    return count !== 10_000 ? `${fmt(value, 'ms')} (${count.toLocaleString('en-US')})` : value;
  };
  const almanac = cell('almanac');
  const ended = field(out.almanac, 'allEndedMs');
  rows.push({
    figure: 'burst: 10,000 due at one instant, all claimed and started',
    size: '10,000',
    unit: 'ms',
    almanac,
    peers: Object.fromEntries(PEERS.map((peer) => [peer, cell(peer)])),
    goal: '≤ 250 ms',
    met: num(almanac) && almanac <= 250,
    notes: `from the instant to the last run's commit (Almanac; all ends recorded at ${fmt(ended, 'ms')}) or callback (peers)`,
  });
}

async function catchUp() {
  note('• catch-up after a 7-day gap');
  const { result, error } = await child('catch-up', [sizes.catchUp]);
  raw.catchUp = result ?? error;
  const planned = result ? (result.plannedMs as number) : error;
  const wait = result ? (result.apiWaitMaxMs as number) : error;
  rows.push({
    figure: 'catch-up after a 7-day gap, planned',
    size: sizes.catchUp.toLocaleString('en-US'),
    unit: 'ms',
    almanac: planned,
    peers: {},
    goal: '≤ 1,000 ms',
    met: num(planned) && planned <= 1000,
    notes: result
      ? `${(result.occurrences as number).toLocaleString('en-US')} occurrences → ${(result.rows as number).toLocaleString('en-US')} rows; start() returned after ${result.startReturnedMs as number} ms`
      : undefined,
  });
  rows.push({
    figure: 'longest API wait during catch-up',
    size: sizes.catchUp.toLocaleString('en-US'),
    unit: 'ms',
    almanac: wait,
    peers: {},
    goal: '≤ 50 ms',
    met: num(wait) && wait <= 50,
    notes: result
      ? `app.status / runs.list every 10 ms through the handler table, ${result.apiCalls as number} calls`
      : undefined,
  });
}

/**
 * A prepared history data dir in `dir`: copied from bench/results/.cache when an earlier run made
 * one for the same size, schema and generator (preparing 1,000,000 runs takes minutes), else
 * prepared there first. The copy is what the workloads open, so the cache stays as prepared.
 */
async function preparedHistory(
  dir: string,
  schedules: number,
  runs: number,
): Promise<{ result: Record<string, unknown> | null; error: string | null }> {
  const generator = fs.readFileSync(path.join(here, 'workloads', 'history.ts'), 'utf8');
  const migrations = fs.readFileSync(path.join(root, 'src', 'main', 'store', 'migrations.ts'), 'utf8');
  const counters = fs.readFileSync(path.join(root, 'src', 'main', 'store', 'run-counters.ts'), 'utf8');
  const key = createHash('sha256')
    .update(generator)
    .update(migrations)
    .update(counters)
    .digest('hex')
    .slice(0, 12);
  const cached = path.join(here, 'results', '.cache', `history-${schedules}-${runs}-${key}`);
  const done = path.join(cached, 'prepared.json');
  if (!fs.existsSync(done)) {
    fs.rmSync(cached, { recursive: true, force: true });
    fs.mkdirSync(cached, { recursive: true });
    note(
      `• history: preparing ${schedules.toLocaleString('en-US')} schedules + ${runs.toLocaleString('en-US')} runs (kept in ${path.relative(root, cached)})`,
    );
    const prepared = await child('history', ['prepare', cached, schedules, runs]);
    if (!prepared.result) return prepared;
    fs.writeFileSync(done, JSON.stringify(prepared.result));
  } else
    note(`• history: the prepared ${runs.toLocaleString('en-US')} runs from ${path.relative(root, cached)}`);
  fs.cpSync(path.join(cached, 'almanac.db'), path.join(dir, 'almanac.db'));
  return { result: JSON.parse(fs.readFileSync(done, 'utf8')) as Record<string, unknown>, error: null };
}

async function counters() {
  note('• run counters: the cost of a run end with and without them');
  const { result, error } = await child('counters', [quick ? 10_000 : 50_000]);
  raw.counters = result ?? error;
  const cell = (key: string): Cell => (result ? (result[key] as number) : error);
  const [withUs, withoutUs] = [cell('endWithUs'), cell('endWithoutUs')];
  rows.push({
    figure: 'history: run end with the stats counters (without)',
    size: `${(result?.runs as number | undefined)?.toLocaleString('en-US') ?? '?'} runs`,
    unit: 'µs',
    almanac: num(withUs) && num(withoutUs) ? `${fmt(withUs, 'µs')} (${fmt(withoutUs, 'µs')})` : withUs,
    peers: {},
    goal: '—',
    met: null,
    notes: result
      ? `one transaction per run end, median of 5 rounds; a whole run (claim, start, end): ${fmt(cell('runWithUs'), 'µs')} with, ${fmt(cell('runWithoutUs'), 'µs')} without`
      : undefined,
  });
}

async function history() {
  const dir = tempDataDir();
  try {
    const prepared = await preparedHistory(dir, 10_000, sizes.runs);
    raw.historyPrepare = prepared.result ?? prepared.error;
    const size = `${sizes.runs.toLocaleString('en-US')} runs`;
    let query: Record<string, unknown> | null = null;
    let error: string | null = prepared.error;
    if (prepared.result) {
      note('• history: queries');
      ({ result: query, error } = await child('history', ['query', dir, quick ? 'quick' : 'full']));
      raw.history = query ?? error;
    }
    const page = query ? (query.pageP99Ms as number) : error;
    const stats = query ? (query.statsP99Ms as number) : error;
    rows.push({
      figure: 'history: a filtered page (runs.list), p99',
      size,
      unit: 'ms',
      almanac: page,
      peers: {},
      goal: '≤ 5 ms',
      met: num(page) && page <= 5,
      notes: query
        ? `worst filter p99: ${Object.entries(query.perFilter as Record<string, number>)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 2)
            .map(([name, ms]) => `${name} ${ms} ms`)
            .join(', ')}`
        : undefined,
    });
    const allStats = query ? (query.allStatsP99Ms as number) : error;
    rows.push({
      figure: 'history: runs.stats for all schedules, default range, p99',
      size,
      unit: 'ms',
      almanac: allStats,
      peers: {},
      goal: '≤ 50 ms',
      met: num(allStats) && allStats <= 50,
      notes: query
        ? `last 30 days in UTC (p50 ${fmt(query.allStatsP50Ms as number, 'ms')}); in America/New_York p99 ${fmt(query.allStatsNewYorkP99Ms as number, 'ms')}`
        : undefined,
    });
    rows.push({
      figure: 'history: stats for a schedule, p99',
      size,
      unit: 'ms',
      almanac: stats,
      peers: {},
      goal: '≤ 20 ms',
      met: num(stats) && stats <= 20,
      notes: query ? `via ${query.statsVia as string}; 90-day range` : undefined,
    });
    const bytes = query ? ((query.bytesPerRun as number | null) ?? (query.fileBytesPerRun as number)) : error;
    rows.push({
      figure: 'bytes per run row',
      size,
      unit: 'B',
      almanac: bytes,
      peers: {},
      goal: '—',
      met: null,
      notes: query
        ? query.bytesPerRun === null
          ? 'database file size / runs (dbstat skipped in --quick)'
          : 'runs table + its 5 indexes (dbstat) / runs'
        : undefined,
    });

    if (prepared.result) {
      const times: number[] = [];
      let inProcess: number[] = [];
      for (let i = 0; i < 3; i++) {
        note(`• cold start ${i + 1}/3`);
        const began = performance.now();
        const { result } = await child('cold-start', [dir]);
        if (!result || !result.ok) break;
        times.push(performance.now() - began);
        inProcess = [...inProcess, result.inProcessMs as number];
      }
      raw.coldStart = { times, inProcess };
      const median = times.length === 3 ? [...times].sort((a, b) => a - b)[1]! : 'error';
      rows.push({
        figure: 'cold start → first API answer (median of 3)',
        size: `10,000 + ${size}`,
        unit: 'ms',
        almanac: median,
        peers: {},
        goal: '≤ 500 ms',
        met: num(median) && median <= 500,
        notes: inProcess.length
          ? `spawn of a bundled node process to app.status answered; of which open + start + answer ${Math.round(
              [...inProcess].sort((a, b) => a - b)[1] ?? inProcess[0]!,
            )} ms (Electron's own boot not included)`
          : undefined,
      });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function calendar() {
  note('• calendar: a week of slots, 200 schedules');
  const { result, error } = await child('calendar', [200]);
  raw.calendar = result ?? error;
  const p95 = result ? (result.p95Ms as number) : error;
  rows.push({
    figure: 'calendar week, 200 schedules (dense included), planned in full',
    size: '200 × 336 slots',
    unit: 'ms',
    almanac: p95,
    peers: {},
    goal: '≤ 40 ms',
    met: num(p95) && p95 <= 40 && result?.notInFull === 0,
    notes: result
      ? `calendar.slots p95 of 40 calls (p50 ${result.p50Ms as number} ms), ${(result.planned as number).toLocaleString('en-US')} occurrences; ${result.notInFull as number} of 121 answers left schedules out; CPU p50 ${result.cpuP50Ms as number} ms; first call of the process ${result.firstCallMs as number} ms (CPU ${result.firstCallCpuMs as number} ms); DST week (${result.dstWeek as string}) p95 ${result.dstP95Ms as number} ms; current week (past slots query history) p95 ${result.currentP95Ms as number} ms`
      : undefined,
  });
}

/** The renderer in Chromium against browser mode (needs `npm run build`); data sets cached in bench/results/.cache. */
async function historyUi() {
  note('• history UI in Chromium (prepares its data sets once)');
  const { result, error } = await child('history-ui', [path.join(here, 'results', '.cache'), sizes.runs]);
  raw.historyUi = result ?? error;
  rows.push(...historyUiRows(result, error));
}

// ── main ────────────────────────────────────────────────────────────────────

const began = performance.now();
fs.mkdirSync(buildDir, { recursive: true });
// Bundle each workload once (dependencies stay in node_modules): children start like the built app, without tsx.
await build({
  entryPoints: [
    'start-lag',
    'idle',
    'burst',
    'catch-up',
    'history',
    'cold-start',
    'calendar',
    'history-ui',
    'counters',
  ].map((name) => path.join(here, 'workloads', `${name}.ts`)),
  outdir: buildDir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
note(`bench${quick ? ' --quick' : ''}: ${os.cpus().length} cores, node ${process.version}`);

if (wanted('start-lag')) await startLag();
if (wanted('burst')) await burst();
if (wanted('catch-up')) await catchUp();
if (wanted('calendar')) await calendar();
// --quick runs the history workload while the idle processes sleep through their window
if (wanted('counters')) await counters();
if (quick && wanted('idle') && wanted('history')) await idle(history);
else {
  if (wanted('idle')) await idle();
  if (wanted('history')) await history();
}
if (wanted('history-ui')) await historyUi();
// the table in DESIGN §8 order, whatever order the workloads ran in
const groups = [
  ['start lag', 'fires', 'RSS'],
  ['idle'],
  ['burst'],
  ['catch-up', 'longest API'],
  ['history', 'bytes', 'cold'],
  ['calendar'],
  ['UI:'],
];
const rank = (row: Row) => groups.findIndex((group) => group.some((prefix) => row.figure.startsWith(prefix)));
rows.sort((a, b) => rank(a) - rank(b));

const table = printTable();
const seconds = Math.round((performance.now() - began) / 1000);
console.log(`\nAlmanac bench${quick ? ' (--quick)' : ''}, ${new Date().toISOString()}, ${seconds} s\n`);
console.log(table);
const missed = rows.filter((row) => row.met === false);
console.log(
  missed.length
    ? `\n${missed.length} goal${missed.length === 1 ? '' : 's'} missed: ${missed.map((row) => row.figure).join('; ')}`
    : '\nAll goals met.',
);

const resultsDir = path.join(here, 'results');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const json = JSON.stringify(
  {
    date: new Date().toISOString(),
    quick,
    seconds,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    rows,
    raw,
  },
  null,
  2,
);
fs.writeFileSync(path.join(resultsDir, `${stamp}${quick ? '-quick' : ''}.json`), json);
fs.writeFileSync(path.join(resultsDir, 'latest.json'), json);
console.log(`Results: bench/results/${stamp}${quick ? '-quick' : ''}.json`);
if (check && missed.length) process.exit(1);
