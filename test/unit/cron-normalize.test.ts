/**
 * Cron dialects (issue 15 §1) and Almanac's own cron messages (issue 12 §5). Expected values come
 * from cron's rules and from croner itself (its `sloppyRanges` reading of `N/step`), never from a
 * previous run of this code.
 */
import { Cron } from 'croner';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeCron } from '../../src/shared/cron-normalize';
import { CronTrigger, cronError } from '../../src/shared/domain';
import { preview } from '../../src/main/engine/planner';

const PLANNER = {
  paused: true,
  domAndDow: false,
  mode: '5-or-6-parts',
  fixedTimeRule: 'no-wildcard',
} as const;
const FROM = new Date('2026-03-20T12:00:00Z');

function runs(expression: string, options: Record<string, unknown> = {}, zone = 'Europe/Berlin', count = 60) {
  return new Cron(expression, { ...PLANNER, timezone: zone, ...options })
    .nextRuns(count, FROM)
    .map((date) => date.toISOString());
}

function normalised(text: string): string {
  const result = normalizeCron(text);
  if ('error' in result) throw new Error(`${text}: ${result.error}`);
  return result.expression;
}

describe('normalizeCron: the dialects people bring', () => {
  it.each([
    // croniter / APScheduler / Quartz start/step
    ['5/15 * * * *', '5-59/15 * * * *'],
    ['/10 * * * *', '*/10 * * * *'],
    ['0 5/6 * * *', '0 5-23/6 * * *'],
    ['0 0 5/10 * *', '0 0 5-31/10 * *'],
    ['0 0 1 2/5 *', '0 0 1 2-12/5 *'],
    ['0 0 * * 1/2', '0 0 * * 1-6/2'],
    ['0 0 * * MON/2', '0 0 * * MON-SAT/2'],
    ['30/30 * * * * *', '30-59/30 * * * * *'],
    // wrapped ranges
    ['0 9 * * FRI-MON', '0 9 * * FRI-SAT,SUN-MON'],
    ['0 9 * * SAT-MON', '0 9 * * SAT,SUN-MON'],
    ['0 0 1 NOV-FEB *', '0 0 1 NOV-DEC,JAN-FEB *'],
    ['0 0 1 DEC-JAN *', '0 0 1 DEC,JAN *'],
    ['0 22-2 * * *', '0 22-23,0-2 * * *'],
    ['50-10 * * * *', '50-59,0-10 * * * *'],
    ['0 0 25-5 * *', '0 0 25-31,1-5 * *'],
    ['0 0 * * 5-1', '0 0 * * 5-6,0-1'],
    ['0 0 1 NOV-FEB/2 *', '0 0 1 NOV,JAN *'],
    ['0 0 * * FRI-MON/2', '0 0 * * FRI,SUN'],
    // Sunday is 0 and 7
    ['0 0 * * 7-1', '0 0 * * 0-1'],
    ['0 0 * * 5-0', '0 0 * * 5-7'],
    // full names and long abbreviations
    ['0 9 * * MONDAY', '0 9 * * MON'],
    ['0 9 * * monday-friday', '0 9 * * MON-FRI'],
    ['0 9 * * Tues,Thurs', '0 9 * * TUE,THU'],
    ['0 9 1 JANUARY,September *', '0 9 1 JAN,SEP *'],
    ['0 9 * * SUNDAY#2', '0 9 * * SUN#2'],
    // "no specific value"
    ['0 9 ? * *', '0 9 * * *'],
    ['0 0 12 ? * MON-FRI', '0 0 12 * * MON-FRI'],
  ])('%s → %s', (written, expected) => {
    expect(normalizeCron(written)).toEqual({ expression: expected, changed: true });
  });

  it.each([
    '0 9 * * *',
    '*/5 * * * * *',
    '01 02 * * *',
    '0 0 L * *',
    '0 0 LW * *',
    '0 0 15W * *',
    '0 0 * * 5L',
    '0 0 * * MON#2',
    '0 0 * * FRI#L',
    '0 0 1 * +MON',
    '0 0 * * SAT-SUN',
    '0 0 * * MON-SUN',
    '0 0 * * 7-7,0-0',
    '0 0 31 2 *',
    '@daily',
    '@yearly',
    '@annually',
    '@midnight',
  ])('%s is already canonical', (written) => {
    expect(normalizeCron(written)).toEqual({ expression: written, changed: false });
  });

  it('letter case and spacing alone are not a change worth showing, but are normalised', () => {
    expect(normalizeCron('  0\t9   *  * *  ')).toEqual({ expression: '0 9 * * *', changed: false });
    expect(normalizeCron('0 9 * * mon-fri')).toEqual({ expression: '0 9 * * MON-FRI', changed: false });
    expect(normalizeCron('@DAILY')).toEqual({ expression: '@daily', changed: false });
  });

  it('is idempotent: the normalised expression reads as itself', () => {
    for (const written of ['5/15 * * * *', '0 9 * * FRI-MON', '0 0 1 NOV-FEB/2 *', '0 9 ? * SUNDAY']) {
      const once = normalised(written);
      expect(normalizeCron(once)).toEqual({ expression: once, changed: false });
    }
  });
});

describe('the normalised expression runs exactly as the dialect means', () => {
  // croner's own reading of N/step (sloppyRanges) is the reference for the start/step forms.
  it.each([
    '5/15 * * * *',
    '/10 * * * *',
    '0 5/6 * * *',
    '0 0 5/10 * *',
    '0 0 1 2/5 *',
    '0 0 * * 1/2',
    '0 0 * * 0/3',
    '0 0 * * 5/1',
    '0 0 1 /5 *',
    '0 0 * * /2',
    '30/30 * * * * *',
    '5/15 5/6 * * *',
  ])('%s: croner with sloppyRanges and the normalised pattern agree', (written) => {
    const expected = runs(written, { sloppyRanges: true });
    expect(expected.length).toBeGreaterThan(0);
    expect(runs(normalised(written))).toEqual(expected);
  });

  // croner refuses wrapped ranges; their meaning is the list of values they cover.
  it.each([
    ['0 9 * * FRI-MON', '0 9 * * 5,6,0,1'],
    ['0 0 1 NOV-FEB *', '0 0 1 11,12,1,2 *'],
    ['0 22-2 * * *', '0 22,23,0,1,2 * * *'],
    ['0 0 1 NOV-FEB/2 *', '0 0 1 11,1 *'],
    ['0 0 * * 7-1', '0 0 * * 0,1'],
    ['0 0 * * 5-0', '0 0 * * 5,6,0'],
    ['0 9 * * MONDAY-FRIDAY', '0 9 * * 1,2,3,4,5'],
    ['0 9 ? * *', '0 9 * * *'],
  ])('%s runs as %s', (written, meaning) => {
    expect(runs(normalised(written))).toEqual(runs(meaning));
  });

  it('the planner plans the normalised expression as croner reads the dialect, DST included', () => {
    // Berlin springs forward on 29 March 2026: an hourly-ish dialect pattern through the gap.
    for (const written of ['5/20 * * * *', '30 1/1 * * *', '0 22-3 * * *']) {
      const trigger = CronTrigger.parse({ type: 'cron', expression: written, timezone: 'Europe/Berlin' });
      const planned = preview(trigger, Date.parse('2026-03-28T20:00:00Z'), 40).map((o) => o.at);
      const reference = written.includes('/')
        ? new Cron(written, { ...PLANNER, timezone: 'Europe/Berlin', sloppyRanges: true })
        : new Cron('0 22,23,0,1,2,3 * * *', { ...PLANNER, timezone: 'Europe/Berlin' });
      const expected = reference.nextRuns(40, new Date('2026-03-28T19:59:59.999Z')).map((d) => d.getTime());
      expect(planned).toEqual(expected);
    }
  });

  it('property: whatever croner reads (sloppy), Almanac reads the same; whatever Almanac accepts, croner strictly accepts', () => {
    const item = (min: number, max: number, names: string[] = []) =>
      fc.oneof(
        fc.constantFrom('*', '?'),
        fc.integer({ min, max: max + 2 }).map(String),
        fc.constantFrom(...(names.length ? names : [String(min)])),
        fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${a}-${b}`),
        fc.tuple(fc.integer({ min, max }), fc.integer({ min: 0, max: 9 })).map(([a, s]) => `${a}/${s}`),
        fc
          .tuple(fc.integer({ min, max }), fc.integer({ min, max }), fc.integer({ min: 1, max: 5 }))
          .map(([a, b, s]) => `${a}-${b}/${s}`),
        fc.integer({ min: 0, max: 9 }).map((s) => `*/${s}`),
      );
    const field = (min: number, max: number, names?: string[]) =>
      fc.array(item(min, max, names), { minLength: 1, maxLength: 3 }).map((items) => items.join(','));
    const expression = fc
      .tuple(
        field(0, 59),
        field(0, 23),
        field(1, 31),
        field(1, 12, ['JAN', 'NOV', 'FEB', 'DECEMBER']),
        field(0, 7, ['MON', 'FRI', 'SUN', 'SATURDAY']),
      )
      .map((parts) => parts.join(' '));
    fc.assert(
      fc.property(expression, (written) => {
        const ours = normalizeCron(written);
        let sloppy: Cron | null = null;
        try {
          sloppy = new Cron(written, { ...PLANNER, timezone: 'UTC', sloppyRanges: true });
        } catch {
          sloppy = null;
        }
        if ('error' in ours) {
          expect(ours.error).not.toMatch(/CronPattern|Invalid value for/);
          // Almanac refuses only what croner refuses too, or a weekday step from 7 (which croner reads as never).
          if (sloppy) expect(written).toMatch(/(^|[ ,])7\/\d/);
          return;
        }
        const strict = new Cron(ours.expression, { ...PLANNER, timezone: 'UTC' });
        if (sloppy) {
          expect(strict.nextRuns(20, FROM).map((d) => d.getTime())).toEqual(
            sloppy.nextRuns(20, FROM).map((d) => d.getTime()),
          );
        }
        expect(normalizeCron(ours.expression)).toEqual({ expression: ours.expression, changed: false });
      }),
      { numRuns: 600 },
    );
  });
});

describe('cron messages, in Almanac’s words (issue 12 §5)', () => {
  it.each([
    // every field, each side of its range
    ['60 * * * * *', 'Second must be 0–59; you wrote 60'],
    ['61 * * * *', 'Minute must be 0–59; you wrote 61'],
    ['0 24 * * *', 'Hour must be 0–23; you wrote 24'],
    ['0 0 0 * *', 'Day of month must be 1–31; you wrote 0'],
    ['0 0 32 * *', 'Day of month must be 1–31; you wrote 32'],
    ['0 0 * 0 *', 'Month must be 1–12 or JAN–DEC; you wrote 0'],
    ['0 0 * 13 *', 'Month must be 1–12 or JAN–DEC; you wrote 13'],
    ['0 0 * * 8', 'Day of week must be 0–7 (0 and 7 are Sunday) or SUN–SAT; you wrote 8'],
    // inside ranges, steps and lists
    ['0 9-25 * * *', 'Hour must be 0–23; you wrote 25'],
    ['0,15,60 * * * *', 'Minute must be 0–59; you wrote 60'],
    ['0 0 32W * *', 'Day of month must be 1–31; you wrote 32'],
    ['0 0 * * 8L', 'Day of week must be 0–7 (0 and 7 are Sunday) or SUN–SAT; you wrote 8'],
    ['1.5 * * * *', 'Minute must be 0–59; you wrote 1.5'],
    // steps
    ['*/0 * * * *', 'Minute: a step must be 1–60; you wrote */0'],
    ['0 */25 * * *', 'Hour: a step must be 1–24; you wrote */25'],
    ['0 0 1-5/32 * *', 'Day of month: a step must be 1–31; you wrote 1-5/32'],
    ['0 0 1 */13 *', 'Month: a step must be 1–12; you wrote */13'],
    ['0 0 * * */8', 'Day of week: a step must be 1–7; you wrote */8'],
    ['*/x * * * *', 'Minute: a step must be 1–60; you wrote */x'],
    ['0 0 * * 7/2', 'Day of week: start a step at 0–6 (Sunday is 0); you wrote 7/2'],
    // names
    ['0 0 * JANU *', 'Month: JANU is not a month; use JAN–DEC or a number'],
    ['0 0 * * FRY', 'Day of week: FRY is not a day of the week; use SUN–SAT or a number'],
    [
      '0 MON * * *',
      'Hour: cannot read "MON"; use a number 0–23, a range such as 9-17, a step such as */2, or a list',
    ],
    // the common mistakes
    ['* * *', 'A cron expression has 5 fields (or 6 with seconds first); this one has 3'],
    ['0 0 0 * * * *', 'A cron expression has 5 fields (or 6 with seconds first); this one has 7'],
    ['every day', 'A cron expression has 5 fields (or 6 with seconds first); this one has 2'],
    ['0 0 * * 1,,2', 'Day of week: an empty list item (two commas, or a trailing one)'],
    ['0 0 * * 1-', 'Day of week: cannot read "1-"; a range is two values, such as 1-5'],
    ['0 0 * * 1-2-3', 'Day of week: cannot read "1-2-3"; a range is two values, such as 1-5'],
    ['0 0 * * 5#6', 'Day of week: the week after # must be 1–5 or L; you wrote 5#6'],
    ['0 0 LW,L * *', 'Day of month: LW stands alone, not in a list'],
    ['0 0 * * +', 'Day of week: + needs days after it, such as +MON'],
    [
      '0 0 L-2 * *',
      'Day of month: cannot read "L"; use a number 1–31, a range such as 1-15, a step such as */2, L (last day), LW or 15W (nearest weekday)',
    ],
    [
      '0 0 L5 * *',
      'Day of month: cannot read "L5"; use a number 1–31, a range such as 1-15, a step such as */2, L (last day), LW or 15W (nearest weekday)',
    ],
    [
      '@reboot',
      '@reboot runs when the computer starts, which Almanac has no trigger for; use a once trigger (a date and time) or an interval trigger',
    ],
    ['@every 5m', '@every 5m is an interval; use an interval trigger (every N seconds)'],
    [
      '@fortnightly',
      '@fortnightly is not a cron nickname; use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly',
    ],
    ['   ', 'Cron expression is required'],
  ])('%s: %s', (written, message) => {
    expect(normalizeCron(written)).toEqual({ error: message });
    expect(cronError(written)).toBe(message);
  });

  it('croner would have refused each of them too (so no valid pattern is turned away)', () => {
    for (const written of [
      '61 * * * *',
      '0 24 * * *',
      '0 0 32 * *',
      '0 0 * 13 *',
      '0 0 * * 8',
      '0 0 * * 5#6',
    ]) {
      expect(() => new Cron(written, { ...PLANNER, sloppyRanges: true })).toThrow();
    }
  });

  it('the schema stores the normalised text and puts the message on trigger.expression', () => {
    const parsed = CronTrigger.parse({
      type: 'cron',
      expression: ' 5/15  9-17 ? * FRIDAY ',
      timezone: 'UTC',
    });
    expect(parsed.expression).toBe('5-59/15 9-17 * * FRI');
    const refused = CronTrigger.safeParse({ type: 'cron', expression: '61 * * * *', timezone: 'UTC' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['expression', 'Minute must be 0–59; you wrote 61'],
    ]);
  });
});
