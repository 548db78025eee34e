/** Time as the viewer reads it: luxon, the viewer's locale and zone. */
import { DateTime, type DateTimeFormatOptions } from 'luxon';

export function viewerZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

let zones: string[] | null = null;

/** IANA zones for the zone picker, the viewer's first; just that and UTC where the engine cannot list them. */
export function timeZones(): string[] {
  if (zones) return zones;
  const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  zones = [...new Set([viewerZone(), 'UTC', ...list])];
  return zones;
}

/** True where the viewer's locale writes 14:00 rather than 2:00 PM. */
export function uses24HourClock(): boolean {
  try {
    const cycle = new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions().hourCycle;
    return cycle === 'h23' || cycle === 'h24';
  } catch {
    return false;
  }
}

export interface FormatOptions {
  seconds?: boolean;
  zone?: string;
  weekday?: boolean;
}

export function formatInstant(iso: string | null | undefined, options: FormatOptions = {}): string {
  if (!iso) return '—';
  let time = DateTime.fromISO(iso);
  if (!time.isValid) return iso;
  if (options.zone) time = time.setZone(options.zone);
  const format: DateTimeFormatOptions = {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  };
  if (options.seconds !== false) format.second = '2-digit';
  if (options.weekday) format.weekday = 'short';
  return time.toLocaleString(format);
}

/** "in 3 sec.", "2 min. ago", "now". */
export function formatRelative(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const time = DateTime.fromISO(iso);
  if (!time.isValid) return iso;
  if (Math.abs(time.toMillis() - now) < 1000) return 'now';
  return time.toRelative({ base: DateTime.fromMillis(now), style: 'short' }) ?? formatInstant(iso);
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
  const time = DateTime.fromISO(iso, { zone });
  return time.isValid ? time.toFormat('ZZZZ') : zone;
}

/** For dense tables: the time alone when it is on `today` (an ISO date), else a short date and time. */
export function formatCompact(iso: string | null | undefined, today: string): string {
  if (!iso) return '—';
  const time = DateTime.fromISO(iso);
  if (!time.isValid) return iso;
  if (time.toISODate() === today) return time.toLocaleString(DateTime.TIME_WITH_SECONDS);
  return time.toLocaleString({ month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function isoDate(ms: number): string {
  return DateTime.fromMillis(ms).toISODate() ?? '';
}
