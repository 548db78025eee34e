/**
 * The DST matrix (DESIGN.md §4.3), tested against the planner the dispatcher and previews share.
 * Transition instants are found with luxon (offset scan + bisection), never hand-guessed, except for the
 * required America/New_York examples, which are hard-coded on purpose.
 *
 * An independent oracle expands simple patterns (minute and hour lists, no seconds) into wall-clock times and
 * maps each to instants by the rules: a wall time a gap skips → the first instant after the gap if the pattern
 * is a fixed time, nothing otherwise; a wall time an overlap repeats → its first instance if fixed, both
 * instances otherwise.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localToInstant, occurrencesBetween, preview } from '../../src/main/engine/planner';
import type { Trigger } from '../../src/shared/domain';
import {
  DAY,
  DST_ZONES,
  HOUR,
  KOLKATA,
  LORD_HOWE,
  MINUTE,
  NEW_YORK,
  SANTIAGO,
  localDay,
  offsetAt,
} from '../support/zones';

const LIMIT = 100_000;

const iso = (ms: number): string => new Date(ms).toISOString();
const cron = (expression: string, timezone: string): Trigger => ({ type: 'cron', expression, timezone });

interface Transition {
  zone: string;
  /** first instant with the new offset */
  at: number;
  from: number;
  to: number;
  kind: 'gap' | 'overlap';
  /** minutes the wall clock jumps */
  shift: number;
  /** the local date whose length changes (the date of the first instant after the change) */
  date: string;
  /** wall time (as if UTC) where the skipped or repeated span begins */
  wallStart: number;
}

function transitions(zone: string, year: number): Transition[] {
  const out: Transition[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  const step = 6 * HOUR;
  for (let t = Date.UTC(year, 0, 1); t < end; t += step) {
    const from = offsetAt(t, zone);
    const to = offsetAt(t + step, zone);
    if (from === to) continue;
    let lo = t;
    let hi = t + step;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(mid, zone) === from) lo = mid;
      else hi = mid;
    }
    const kind = to > from ? 'gap' : 'overlap';
    out.push({
      zone,
      at: hi,
      from,
      to,
      kind,
      shift: Math.abs(to - from),
      date: DateTime.fromMillis(hi, { zone }).toISODate()!,
      wallStart: kind === 'gap' ? hi + from * MINUTE : hi + to * MINUTE,
    });
  }
  return out;
}

/** Zones for the randomised check only: a midnight transition, half-hour and 45-minute offsets, negative DST. */
const MORE_ZONES = ['America/Havana', 'America/St_Johns', 'Pacific/Chatham', 'Africa/Casablanca'];
const TRANSITIONS = new Map(
  [...DST_ZONES, ...MORE_ZONES].map((zone) => [
    zone,
    [...transitions(zone, 2026), ...transitions(zone, 2027)],
  ]),
);
const transitionOf = (zone: string, kind: 'gap' | 'overlap'): Transition => {
  const found = TRANSITIONS.get(zone)!.filter((t) => t.kind === kind && t.date.startsWith('2026'));
  expect(found).toHaveLength(1);
  return found[0]!;
};

const onDay = (trigger: Trigger, date: string): number[] => {
  const [start, end] = localDay(trigger.timezone, date);
  return occurrencesBetween(trigger, start - 1, end - 1, 0, LIMIT);
};

const shiftDate = (date: string, days: number): string =>
  DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!;

/** The wall-clock fields of a wall time held "as if UTC". */
const wall = (wallMs: number) => DateTime.fromMillis(wallMs, { zone: 'utc' });

// ---- the oracle --------------------------------------------------------------------------------

function expand(field: string, max: number): number[] {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [0, max];
    else if (range!.includes('-')) [lo, hi] = range!.split('-').map(Number) as [number, number];
    else [lo, hi] = [Number(range), stepText ? max : Number(range)];
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

/** Occurrences of a 5-field `m h * * *` pattern on a local date, derived from the written rules only. */
function oracle(expression: string, zone: string, date: string): number[] {
  const [minuteField, hourField] = expression.split(' ') as [string, string];
  const fixed = ![minuteField, hourField].some((f) => f.includes('*') || f.includes('/'));
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const out = new Set<number>();
  for (const h of expand(hourField, 23)) {
    for (const m of expand(minuteField, 59)) {
      const wallMs = Date.UTC(y, mo - 1, d, h, m);
      const offsets = new Set([offsetAt(wallMs - 2 * DAY, zone), offsetAt(wallMs + 2 * DAY, zone)]);
      const instants = [...offsets]
        .map((o) => wallMs - o * MINUTE)
        .filter((u) => wallOf(u, zone) === wallMs)
        .sort((a, b) => a - b);
      if (instants.length === 0) {
        if (!fixed) continue;
        const gap = (TRANSITIONS.get(zone) ?? []).find(
          (t) => t.kind === 'gap' && Math.abs(t.at - wallMs) < DAY,
        );
        if (!gap) throw new Error(`no gap near ${iso(wallMs)} in ${zone}`);
        out.add(gap.at);
      } else if (fixed) {
        out.add(instants[0]!);
      } else {
        for (const u of instants) out.add(u);
      }
    }
  }
  return [...out].sort((a, b) => a - b);
}

function wallOf(ms: number, zone: string): number {
  return ms + offsetAt(ms, zone) * MINUTE;
}

// ---- the matrix ---------------------------------------------------------------------------------

describe('the 2026 transitions the matrix relies on (found with luxon)', () => {
  it('has one gap and one overlap in each DST zone, and none in Asia/Kolkata', () => {
    for (const zone of DST_ZONES) {
      expect(
        transitions(zone, 2026)
          .map((t) => t.kind)
          .sort(),
      ).toEqual(['gap', 'overlap']);
    }
    expect(transitions(KOLKATA, 2026)).toEqual([]);
    // the known facts the other tests build on
    expect(iso(transitionOf(NEW_YORK, 'gap').at)).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(transitionOf(NEW_YORK, 'overlap').at)).toBe('2026-11-01T06:00:00.000Z');
    expect(transitionOf(LORD_HOWE, 'gap').shift).toBe(30);
    expect(wall(transitionOf(SANTIAGO, 'gap').wallStart).toFormat('HH:mm')).toBe('00:00');
    expect(wall(transitionOf(SANTIAGO, 'overlap').wallStart).toFormat('HH:mm')).toBe('23:00');
  });
});

describe('America/New_York: the required examples', () => {
  it('runs `30 2 * * *` at 03:00 EDT on 2026-03-08 (07:00Z), noted dst-shifted', () => {
    const trigger = cron('30 2 * * *', NEW_YORK);
    expect(onDay(trigger, '2026-03-08').map(iso)).toEqual(['2026-03-08T07:00:00.000Z']);
    expect(preview(trigger, Date.parse('2026-03-07T12:00:00Z'), 3)).toEqual([
      { at: Date.parse('2026-03-08T07:00:00Z'), note: 'dst-shifted' },
      { at: Date.parse('2026-03-09T06:30:00Z') },
      { at: Date.parse('2026-03-10T06:30:00Z') },
    ]);
  });

  it('runs `0 * * * *` 23 times on 2026-03-08 and 25 times on 2026-11-01', () => {
    const trigger = cron('0 * * * *', NEW_YORK);
    expect(onDay(trigger, '2026-03-08')).toHaveLength(23);
    expect(onDay(trigger, '2026-11-01')).toHaveLength(25);
    expect(onDay(trigger, '2026-03-07')).toHaveLength(24);
    expect(onDay(trigger, '2026-11-02')).toHaveLength(24);
  });

  it('runs `30 1 * * *` once on 2026-11-01, at 01:30 EDT (05:30Z)', () => {
    const trigger = cron('30 1 * * *', NEW_YORK);
    expect(onDay(trigger, '2026-11-01').map(iso)).toEqual(['2026-11-01T05:30:00.000Z']);
    expect(preview(trigger, Date.parse('2026-11-01T00:00:00Z'), 2)).toEqual([
      { at: Date.parse('2026-11-01T05:30:00Z'), note: 'dst-repeated' },
      { at: Date.parse('2026-11-02T06:30:00Z') },
    ]);
  });

  it('runs `0 1-3 * * *` at 01:00 and 03:00 on spring-forward day (02:00 moves onto 03:00: one identity)', () => {
    const trigger = cron('0 1-3 * * *', NEW_YORK);
    expect(onDay(trigger, '2026-03-08').map(iso)).toEqual([
      '2026-03-08T06:00:00.000Z',
      '2026-03-08T07:00:00.000Z',
    ]);
  });

  it('runs `0 1-3 * * *` three times on fall-back day, 01:00 at its first (EDT) instance', () => {
    const trigger = cron('0 1-3 * * *', NEW_YORK);
    expect(onDay(trigger, '2026-11-01').map(iso)).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
      '2026-11-01T08:00:00.000Z',
    ]);
  });

  it('skips 02:00 for `0 */2 * * *` on spring-forward day (11 runs) and runs 12 on fall-back day', () => {
    const trigger = cron('0 */2 * * *', NEW_YORK);
    expect(onDay(trigger, '2026-03-08')).toHaveLength(11);
    expect(onDay(trigger, '2026-11-01')).toHaveLength(12);
  });

  it('gives `*/30 * * * *` 46 runs on spring-forward day and 50 on fall-back day', () => {
    const trigger = cron('*/30 * * * *', NEW_YORK);
    expect(onDay(trigger, '2026-03-08')).toHaveLength(46);
    expect(onDay(trigger, '2026-11-01')).toHaveLength(50);
  });
});

describe.each(DST_ZONES)('%s', (zone) => {
  const gap = transitionOf(zone, 'gap');
  const overlap = transitionOf(zone, 'overlap');
  const gapMid = wall(gap.wallStart + (gap.shift / 2) * MINUTE);
  const overlapMid = wall(overlap.wallStart + (overlap.shift / 2) * MINUTE);
  const fixedInGap = `${gapMid.minute} ${gapMid.hour} * * *`;
  const fixedInOverlap = `${overlapMid.minute} ${overlapMid.hour} * * *`;
  const rangeOver = (mid: DateTime) =>
    `${mid.minute} ${Math.max(0, mid.hour - 1)}-${Math.min(23, mid.hour + 1)} * * *`;
  const dayLength = (date: string) => {
    const [start, end] = localDay(zone, date);
    return end - start;
  };

  it('has local days whose length changes by the shift on the transition dates', () => {
    expect(dayLength(gap.date)).toBe(DAY - gap.shift * MINUTE);
    expect(dayLength(overlap.date)).toBe(DAY + overlap.shift * MINUTE);
    expect(dayLength(shiftDate(gap.date, -1))).toBe(DAY);
    expect(dayLength(shiftDate(overlap.date, 1))).toBe(DAY);
  });

  describe('a fixed local time that a DST gap skips runs once, at the first instant after the gap', () => {
    it(`runs ${fixedInGap} at the gap's end on ${gap.date}, and at its own time the days around`, () => {
      const trigger = cron(fixedInGap, zone);
      expect(onDay(trigger, gap.date)).toEqual([gap.at]);
      for (const date of [shiftDate(gap.date, -1), shiftDate(gap.date, 1)]) {
        const [run] = onDay(trigger, date);
        expect(DateTime.fromMillis(run!, { zone }).toFormat('HH:mm')).toBe(gapMid.toFormat('HH:mm'));
      }
    });

    it('counts every wall time a gap skips as moved to its end, merged with what already runs there', () => {
      const range = rangeOver(gapMid);
      for (const expression of [
        fixedInGap,
        range,
        `${gapMid.minute},${(gapMid.minute + 1) % 60} ${gapMid.hour} * * *`,
      ]) {
        expect(onDay(cron(expression, zone), gap.date).map(iso), expression).toEqual(
          oracle(expression, zone, gap.date).map(iso),
        );
      }
      expect(onDay(cron(range, zone), gap.date)).toContain(gap.at);
    });

    it('marks the moved occurrence dst-shifted in previews, and nothing else that week', () => {
      const trigger = cron(fixedInGap, zone);
      const [dayStart] = localDay(zone, shiftDate(gap.date, -3));
      const planned = preview(trigger, dayStart, 7);
      expect(planned).toHaveLength(7);
      expect(planned.filter((p) => p.note)).toEqual([{ at: gap.at, note: 'dst-shifted' }]);
    });
  });

  describe('a fixed local time that an overlap repeats runs once, at its first instance', () => {
    const firstInstance = overlap.at - (overlap.shift / 2) * MINUTE;

    it(`runs ${fixedInOverlap} once on ${overlap.date}, at the earlier offset`, () => {
      const trigger = cron(fixedInOverlap, zone);
      expect(onDay(trigger, overlap.date)).toEqual([firstInstance]);
      expect(offsetAt(firstInstance, zone)).toBe(overlap.from);
    });

    it('does not run the second instance even when asked from between the two instances', () => {
      const trigger = cron(fixedInOverlap, zone);
      const secondInstance = overlap.at + (overlap.shift / 2) * MINUTE;
      expect(wallOf(secondInstance, zone)).toBe(wallOf(firstInstance, zone));
      const [next] = occurrencesBetween(trigger, firstInstance, firstInstance + 2 * DAY, 0, 1);
      expect(next).toBeGreaterThan(secondInstance);
      expect(DateTime.fromMillis(next!, { zone }).toISODate()).toBe(shiftDate(overlap.date, 1));
    });

    it('runs ranges through the overlap once per wall time', () => {
      for (const expression of [fixedInOverlap, rangeOver(overlapMid)]) {
        expect(onDay(cron(expression, zone), overlap.date).map(iso), expression).toEqual(
          oracle(expression, zone, overlap.date).map(iso),
        );
      }
    });

    it('marks the first instance dst-repeated in previews', () => {
      const [dayStart] = localDay(zone, shiftDate(overlap.date, -3));
      const planned = preview(cron(fixedInOverlap, zone), dayStart, 7);
      expect(planned.filter((p) => p.note)).toEqual([{ at: firstInstance, note: 'dst-repeated' }]);
    });
  });

  describe('patterns with * or a step in the minute or hour field keep their elapsed cadence', () => {
    const wildcards = ['0 * * * *', '*/30 * * * *', '*/15 * * * *', '0 */2 * * *', '* * * * *'];

    it.each(wildcards)(
      '%s skips the gap and runs each repeated instance, as the oracle says',
      (expression) => {
        for (const t of [gap, overlap]) {
          for (const date of [shiftDate(t.date, -1), t.date, shiftDate(t.date, 1)]) {
            expect(onDay(cron(expression, zone), date).map(iso), date).toEqual(
              oracle(expression, zone, date).map(iso),
            );
          }
        }
      },
    );

    it('runs `* * * * *` once per elapsed minute of the local day, whatever its length', () => {
      for (const date of [gap.date, overlap.date, shiftDate(gap.date, 1)]) {
        expect(onDay(cron('* * * * *', zone), date)).toHaveLength(dayLength(date) / MINUTE);
      }
    });

    it('keeps `*/30 * * * *` exactly 30 elapsed minutes apart across both transitions', () => {
      for (const t of [gap, overlap]) {
        const runs = occurrencesBetween(
          cron('*/30 * * * *', zone),
          t.at - 6 * HOUR,
          t.at + 6 * HOUR,
          0,
          LIMIT,
        );
        expect(runs).toHaveLength(24);
        for (let i = 1; i < runs.length; i++) expect(runs[i]! - runs[i - 1]!).toBe(30 * MINUTE);
      }
    });

    if (gap.shift === 60) {
      it('keeps an hourly job exactly one elapsed hour apart (23 runs on gap day, 25 on overlap day)', () => {
        const hourly = cron('0 * * * *', zone);
        expect(onDay(hourly, gap.date)).toHaveLength(23);
        expect(onDay(hourly, overlap.date)).toHaveLength(25);
        for (const t of [gap, overlap]) {
          const runs = occurrencesBetween(hourly, t.at - 12 * HOUR, t.at + 12 * HOUR, 0, LIMIT);
          expect(runs).toHaveLength(24);
          for (let i = 1; i < runs.length; i++) expect(runs[i]! - runs[i - 1]!).toBe(HOUR);
        }
      });
    } else {
      it('runs an hourly job at each existing wall-clock hour (a 30-minute gap eats one, an overlap adds none)', () => {
        const hourly = cron('0 * * * *', zone);
        expect(onDay(hourly, gap.date)).toHaveLength(23);
        expect(onDay(hourly, overlap.date)).toHaveLength(24);
        expect(onDay(cron('*/30 * * * *', zone), gap.date)).toHaveLength(47);
        expect(onDay(cron('*/30 * * * *', zone), overlap.date)).toHaveLength(49);
      });
    }

    it('marks both instances of a repeated wall time dst-repeated, and nothing shifted', () => {
      const [start, end] = localDay(zone, overlap.date);
      const planned = preview(cron('*/30 * * * *', zone), start, (end - start) / (30 * MINUTE));
      const noted = planned.filter((p) => p.note);
      expect(noted.every((p) => p.note === 'dst-repeated')).toBe(true);
      const repeatedWalls = (overlap.shift / 30) * 2;
      expect(noted.map((p) => p.at)).toEqual(
        Array.from(
          { length: repeatedWalls },
          (_, i) => overlap.at - overlap.shift * MINUTE + i * 30 * MINUTE,
        ),
      );
      const [gapStart] = localDay(zone, gap.date);
      expect(preview(cron('*/30 * * * *', zone), gapStart, 40).filter((p) => p.note)).toEqual([]);
    });
  });

  describe('intervals are elapsed time, immune to DST', () => {
    const anchors = [gap.at - 13 * HOUR - 17 * MINUTE - 23_000, overlap.at - 5 * HOUR + 7 * MINUTE];

    it.each(anchors.map((a) => [iso(a), a] as const))(
      'everySeconds: 3600 from %s gives exactly 24 runs in any 24 elapsed hours',
      (_label, anchor) => {
        const trigger: Trigger = {
          type: 'interval',
          everySeconds: 3600,
          timezone: zone,
          startAt: iso(anchor),
        };
        for (const after of [
          anchor + 1,
          anchor + 2 * HOUR + 1234,
          anchor + 11 * HOUR,
          anchor + 12 * HOUR - 1,
        ]) {
          const runs = occurrencesBetween(trigger, after, after + DAY, 0, LIMIT);
          expect(runs).toHaveLength(24);
          for (let i = 1; i < runs.length; i++) expect(runs[i]! - runs[i - 1]!).toBe(HOUR);
          expect((runs[0]! - anchor) % HOUR).toBe(0);
        }
      },
    );

    it('is never noted in previews', () => {
      const trigger: Trigger = { type: 'interval', everySeconds: 1800, timezone: zone };
      for (const t of [gap, overlap]) {
        const planned = preview(trigger, t.at - 3 * HOUR, 12);
        expect(planned.every((p) => p.note === undefined)).toBe(true);
        expect(planned.map((p) => p.at)).toEqual(
          Array.from({ length: 12 }, (_, i) => t.at - 3 * HOUR + i * 1800_000),
        );
      }
    });
  });

  describe('a once trigger follows the same fixed-time rules', () => {
    it('moves a local time inside the gap to the first instant after it', () => {
      const local = gapMid.toFormat("yyyy-MM-dd'T'HH:mm");
      expect(localToInstant(local, zone)).toBe(gap.at);
      const trigger: Trigger = { type: 'once', at: local, timezone: zone };
      expect(preview(trigger, gap.at - 10 * DAY, 5)).toEqual([{ at: gap.at, note: 'dst-shifted' }]);
    });

    it('takes the first instance of a local time the overlap repeats', () => {
      const local = overlapMid.toFormat("yyyy-MM-dd'T'HH:mm:ss");
      const first = overlap.at - (overlap.shift / 2) * MINUTE;
      expect(localToInstant(local, zone)).toBe(first);
      const trigger: Trigger = { type: 'once', at: local, timezone: zone };
      expect(preview(trigger, overlap.at - 10 * DAY, 5)).toEqual([{ at: first, note: 'dst-repeated' }]);
    });

    it('maps the gap start itself and the last repeated second correctly', () => {
      expect(localToInstant(wall(gap.wallStart).toFormat("yyyy-MM-dd'T'HH:mm:ss"), zone)).toBe(gap.at);
      const lastRepeated = wall(overlap.wallStart + overlap.shift * MINUTE - 1000).toFormat(
        "yyyy-MM-dd'T'HH:mm:ss",
      );
      expect(localToInstant(lastRepeated, zone)).toBe(overlap.at - 1000);
      // the first wall time after each span is ordinary
      const afterGap = wall(gap.wallStart + gap.shift * MINUTE).toFormat("yyyy-MM-dd'T'HH:mm");
      expect(localToInstant(afterGap, zone)).toBe(gap.at);
      const afterOverlap = wall(overlap.wallStart + overlap.shift * MINUTE).toFormat("yyyy-MM-dd'T'HH:mm");
      expect(localToInstant(afterOverlap, zone)).toBe(overlap.at + overlap.shift * MINUTE);
    });
  });
});

describe('Asia/Kolkata (no DST): nothing shifts and every day has the same count', () => {
  const patterns = ['30 2 * * *', '0 1-3 * * *', '0 * * * *', '*/30 * * * *', '0 */2 * * *', '30 1 * * *'];
  // every day of the months in which other zones change, plus a few more
  const dates = ['2026-03', '2026-04', '2026-09', '2026-10', '2026-11'].flatMap((month) =>
    Array.from({ length: 30 }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`),
  );

  it.each(patterns)('%s', (expression) => {
    const trigger = cron(expression, KOLKATA);
    const expected = oracle(expression, KOLKATA, '2026-01-15').length;
    for (const date of dates) {
      const runs = onDay(trigger, date);
      expect(runs, date).toHaveLength(expected);
      expect(runs.map(iso)).toEqual(oracle(expression, KOLKATA, date).map(iso));
    }
    const [start] = localDay(KOLKATA, '2026-03-01');
    expect(preview(trigger, start, 200).filter((p) => p.note)).toEqual([]);
  });

  it('runs `30 2 * * *` at 21:00Z the day before, every day', () => {
    const runs = occurrencesBetween(
      cron('30 2 * * *', KOLKATA),
      Date.parse('2026-03-01T00:00:00Z'),
      Date.parse('2026-12-01T00:00:00Z'),
      0,
      LIMIT,
    );
    expect(runs).toHaveLength(275);
    expect(runs.every((at) => iso(at).endsWith('T21:00:00.000Z'))).toBe(true);
  });

  it('maps any local time to exactly UTC+05:30', () => {
    expect(localToInstant('2026-03-08T02:30', KOLKATA)).toBe(Date.parse('2026-03-07T21:00:00Z'));
    expect(localToInstant('2026-11-01T01:30', KOLKATA)).toBe(Date.parse('2026-10-31T20:00:00Z'));
  });
});

describe('the same rules on random patterns and dates around transitions, in more zones (property)', () => {
  const all = [...TRANSITIONS.values()].flat();
  const minuteField = fc.constantFrom('0', '30', '45', '15,45', '*/15', '*/20', '0-10/5', '50', '59', '*');
  const hourField = fc.constantFrom(
    '*',
    '*/2',
    '*/3',
    '0',
    '1',
    '2',
    '3',
    '23',
    '0-3',
    '1-3',
    '22-23',
    '0,12',
  );

  it('matches the oracle on each local date next to a gap or an overlap', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...all),
        fc.integer({ min: -1, max: 1 }),
        minuteField,
        hourField,
        (t, days, minute, hour) => {
          const expression = `${minute} ${hour} * * *`;
          const date = shiftDate(t.date, days);
          const trigger = cron(expression, t.zone);
          expect(onDay(trigger, date).map(iso), `${expression} ${t.zone} ${date}`).toEqual(
            oracle(expression, t.zone, date).map(iso),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
