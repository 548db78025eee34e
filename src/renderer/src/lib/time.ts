/**
 * Time as the viewer reads it: luxon, the viewer's locale and zone, the year whenever it is not the
 * current one. Every date the renderer shows goes through here. Formatting is cached (by instant,
 * options and the current year), since a list formats the same instants on every render.
 */
import { DateTime, type DateTimeFormatOptions } from 'luxon';

let viewer: string | null = null;

/** The viewer's IANA zone (read once: resolving it builds an Intl formatter). */
export function viewerZone(): string {
  if (viewer !== null) return viewer;
  try {
    viewer = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    viewer = 'UTC';
  }
  return viewer;
}

let zones: string[] | null = null;

/** IANA zones for the zone picker, the viewer's first; just that and UTC where the engine cannot list them. */
export function timeZones(): string[] {
  if (zones) return zones;
  const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  zones = [...new Set([viewerZone(), 'UTC', ...list])];
  return zones;
}

let hour24: boolean | null = null;

/** True where the viewer's locale writes 14:00 rather than 2:00 PM (read once). */
export function uses24HourClock(): boolean {
  if (hour24 !== null) return hour24;
  try {
    const cycle = new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions().hourCycle;
    hour24 = cycle === 'h23' || cycle === 'h24';
  } catch {
    hour24 = false;
  }
  return hour24;
}

// ── the cache: one formatted string per (instant, options, zone, current year) ──

const MAX_CACHED = 5000;
const cache = new Map<string, string>();

function cached(key: string, make: () => string): string {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = make();
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

/** How many distinct strings the cache holds (for tests of the cache itself). */
export function cachedFormats(): number {
  return cache.size;
}

function toDateTime(value: string | DateTime, zone: string | undefined): DateTime {
  const time = typeof value === 'string' ? DateTime.fromISO(value, zone ? { zone } : undefined) : value;
  return zone && typeof value !== 'string' ? time.setZone(zone) : time;
}

/** The year to leave out: the current one, in the zone the instant is shown in. */
function currentYear(zone: string | undefined, now: number): number {
  return DateTime.fromMillis(now, zone ? { zone } : undefined).year;
}

export interface FormatOptions {
  seconds?: boolean;
  zone?: string;
  weekday?: boolean;
  /** What "now" is (tests); the year is left out when it is this instant's year. */
  now?: number;
}

/** "Mon, Mar 9, 14:05:00", with the year when it is not the current one: "Sun, Mar 14, 2027, 03:00". */
export function formatInstant(iso: string | null | undefined, options: FormatOptions = {}): string {
  if (!iso) return '—';
  const now = options.now ?? Date.now();
  const { zone, seconds = true, weekday = false } = options;
  const thisYear = currentYear(zone, now);
  return cached(`i|${iso}|${zone ?? ''}|${seconds}|${weekday}|${thisYear}`, () => {
    const time = toDateTime(iso, zone);
    if (!time.isValid) return iso;
    const format: DateTimeFormatOptions = {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    };
    if (seconds) format.second = '2-digit';
    if (weekday) format.weekday = 'short';
    if (time.year !== thisYear) format.year = 'numeric';
    return time.toLocaleString(format);
  });
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];
let relative: Intl.RelativeTimeFormat | null = null;

/**
 * "in 3 sec.", "2 min. ago", "now": the largest whole unit, in the viewer's locale. Lists call this
 * for every row every second, so it is arithmetic and one shared Intl formatter (the same words
 * luxon's toRelative writes with style "short"), not a DateTime diff per call.
 */
export function formatRelative(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) return iso;
  const diff = millis - now;
  if (Math.abs(diff) < 1000) return 'now';
  relative ??= new Intl.RelativeTimeFormat(undefined, { style: 'short', numeric: 'always' });
  for (const [unit, size] of UNITS) {
    const count = Math.trunc(diff / size);
    if (count !== 0) return relative.format(count, unit);
  }
  return 'now';
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

/** Short zone label for a preview line, e.g. "CET" or "GMT+1". */
export function zoneLabel(iso: string, zone: string): string {
  return cached(`z|${iso}|${zone}`, () => {
    const time = DateTime.fromISO(iso, { zone });
    return time.isValid ? time.toFormat('ZZZZ') : zone;
  });
}

/** For dense tables: the time alone when it is on `today` (an ISO date), else a short date and time (with the year when not this one). */
export function formatCompact(
  iso: string | null | undefined,
  today: string,
  now: number = Date.now(),
): string {
  if (!iso) return '—';
  const thisYear = currentYear(undefined, now);
  return cached(`c|${iso}|${today}|${thisYear}`, () => {
    const time = DateTime.fromISO(iso);
    if (!time.isValid) return iso;
    if (time.toISODate() === today) return time.toLocaleString(DateTime.TIME_WITH_SECONDS);
    const format: DateTimeFormatOptions = {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    };
    if (time.year !== thisYear) format.year = 'numeric';
    return time.toLocaleString(format);
  });
}

export interface DayOptions {
  zone?: string;
  /** "Sunday, March 14" rather than "Sun, Mar 14". */
  long?: boolean;
  weekday?: boolean;
  now?: number;
}

/** A day, for calendar labels: "Sun, Mar 14", with the year when it is not the current one. */
export function formatDay(value: string | DateTime, options: DayOptions = {}): string {
  const { zone, long = false, weekday = true } = options;
  const thisYear = currentYear(zone, options.now ?? Date.now());
  const key = typeof value === 'string' ? value : value.toISO();
  return cached(`d|${key}|${zone ?? ''}|${long}|${weekday}|${thisYear}`, () => {
    const time = toDateTime(value, zone);
    if (!time.isValid) return String(key);
    const format: DateTimeFormatOptions = {
      month: long ? 'long' : 'short',
      day: 'numeric',
    };
    if (weekday) format.weekday = long ? 'long' : 'short';
    if (time.year !== thisYear) format.year = 'numeric';
    return time.toLocaleString(format);
  });
}

/** A time of day in the viewer's locale ("2:05 PM" / "14:05"), in `zone` when given. */
export function formatTime(value: string | DateTime, zone?: string): string {
  const key = typeof value === 'string' ? value : value.toISO();
  return cached(`t|${key}|${zone ?? ''}`, () => {
    const time = toDateTime(value, zone);
    return time.isValid ? time.toLocaleString(DateTime.TIME_SIMPLE) : String(key);
  });
}

/** A day and a time: "Sun, Mar 14, 3:00 PM", with the year when it is not the current one. */
export function formatDayTime(value: string | DateTime, options: DayOptions = {}): string {
  const { zone } = options;
  const thisYear = currentYear(zone, options.now ?? Date.now());
  const key = typeof value === 'string' ? value : value.toISO();
  return cached(`dt|${key}|${zone ?? ''}|${thisYear}`, () => {
    const time = toDateTime(value, zone);
    if (!time.isValid) return String(key);
    const format: DateTimeFormatOptions = { weekday: 'short', hour: 'numeric', minute: '2-digit' };
    if (time.year !== thisYear) {
      format.year = 'numeric';
      format.month = 'short';
      format.day = 'numeric';
    }
    return time.toLocaleString(format);
  });
}

export function isoDate(ms: number): string {
  return DateTime.fromMillis(ms).toISODate() ?? '';
}
