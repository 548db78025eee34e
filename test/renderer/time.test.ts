import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  cachedFormats,
  formatCompact,
  formatDay,
  formatDayTime,
  formatInstant,
  formatTime,
} from '../../src/renderer/src/lib/time';

// "now" is pinned so the test means the same on any date: mid-2026.
const NOW = Date.parse('2026-06-15T12:00:00Z');

describe('Dates: luxon in the viewer locale, the year whenever it is not the current one', () => {
  it('a DST preview across years tells the years apart (Sun, Mar 14 2027 / Tue 2028 / Wed 2029)', () => {
    // 02:30 in New York does not exist on these nights; the planner moves them to 03:00 (07:00Z).
    const preview = ['2027-03-14T07:00:00.000Z', '2028-03-14T07:00:00.000Z', '2029-03-14T07:00:00.000Z'];
    const shown = preview.map((at) =>
      formatInstant(at, { weekday: true, seconds: false, zone: 'America/New_York', now: NOW }),
    );
    expect(shown[0]).toContain('2027');
    expect(shown[1]).toContain('2028');
    expect(shown[2]).toContain('2029');
    expect(new Set(shown).size).toBe(3);
    // the same words luxon writes for that instant, in the viewer's locale, with the year
    const expected = DateTime.fromISO(preview[0]!, { zone: 'America/New_York' }).toLocaleString({
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    expect(shown[0]).toBe(expected);
  });

  it('leaves the year out for the current year, in runs, history and calendar labels alike', () => {
    const thisYear = '2026-03-14T07:00:00.000Z';
    expect(formatInstant(thisYear, { now: NOW })).not.toContain('2026');
    expect(formatCompact(thisYear, '2026-06-15', NOW)).not.toContain('2026');
    expect(formatDay(thisYear, { zone: 'UTC', now: NOW })).not.toContain('2026');
    expect(formatDayTime(thisYear, { zone: 'UTC', now: NOW })).not.toContain('2026');

    const lastYear = '2025-12-31T22:00:00.000Z';
    expect(formatInstant(lastYear, { now: NOW, zone: 'UTC' })).toContain('2025');
    expect(formatCompact(lastYear, '2026-06-15', NOW)).toMatch(/2025|2026/); // viewer zone may roll the date
    expect(formatDay(lastYear, { zone: 'UTC', now: NOW })).toContain('2025');
    expect(formatDay('2027-01-02', { zone: 'UTC', long: true, now: NOW })).toContain('2027');
    expect(formatDayTime('2027-01-02T10:00:00Z', { zone: 'UTC', now: NOW })).toContain('2027');
  });

  it('the year is the one in the zone the instant is shown in', () => {
    // 23:30 UTC on New Year's Eve is already next year in Berlin
    const at = '2026-12-31T23:30:00.000Z';
    const now = Date.parse('2026-12-31T12:00:00Z');
    expect(formatInstant(at, { zone: 'UTC', now })).not.toContain('2027');
    expect(formatInstant(at, { zone: 'Europe/Berlin', now })).toContain('2027');
  });

  it('a time of day follows the locale and the zone', () => {
    const at = '2026-03-14T13:05:00.000Z';
    expect(formatTime(at, 'UTC')).toBe(
      DateTime.fromISO(at, { zone: 'UTC' }).toLocaleString(DateTime.TIME_SIMPLE),
    );
    expect(formatTime(at, 'Asia/Tokyo')).toBe(
      DateTime.fromISO(at, { zone: 'Asia/Tokyo' }).toLocaleString(DateTime.TIME_SIMPLE),
    );
  });

  it('formats each instant once: a second render hits the cache', () => {
    const at = '2031-05-01T10:00:00.000Z';
    const first = formatInstant(at, { now: NOW });
    const size = cachedFormats();
    expect(formatInstant(at, { now: NOW })).toBe(first);
    expect(cachedFormats()).toBe(size);
  });
});

describe('Relative times', () => {
  it('match what luxon writes with style "short" for the largest whole unit', async () => {
    const { formatRelative } = await import('../../src/renderer/src/lib/time');
    const now = Date.parse('2026-06-15T12:00:00Z');
    for (const offset of [
      5_000,
      -42_000,
      3 * 60_000 + 10_000,
      -2 * 3_600_000,
      13 * 3_600_000 + 5,
      3 * 86_400_000,
    ]) {
      const at = new Date(now + offset).toISOString();
      const luxon = DateTime.fromMillis(now + offset).toRelative({
        base: DateTime.fromMillis(now),
        style: 'short',
      });
      expect(formatRelative(at, now)).toBe(luxon);
    }
    expect(formatRelative(new Date(now + 300).toISOString(), now)).toBe('now');
  });
});
