/**
 * Cron dialects in, one canonical cron out (DESIGN.md §3). People bring croniter, APScheduler and
 * Quartz habits: `5/15` (start/step), wrapped ranges (`FRI-MON`, `NOV-FEB`, `22-2`), full day and
 * month names, `?` for "no specific value". Each is rewritten into the strict form croner reads
 * without options (`5-59/15`, `FRI-SAT,SUN-MON`, `MON`, `*`), so what is stored, shown, counted
 * and planned is one expression that every part of Almanac reads the same way. `N/step` is written
 * out exactly as croner's own `sloppyRanges` option reads it (start through the field's last value;
 * the tests hold the two equal).
 *
 * Every refusal is a sentence naming the field and what it allows ("Minute must be 0–59; you wrote
 * 61"), never croner's own text.
 */
import { Cron } from 'croner';

export type NormalizedCron = { expression: string; changed: boolean } | { error: string };

interface Field {
  label: string;
  min: number;
  max: number;
  /** Number of distinct values: croner refuses a step larger than this. */
  count: number;
  /** Canonical three-letter names, index = value - nameBase. */
  names?: readonly string[];
  nameBase?: number;
  /** What the field accepts, for the "cannot read" message. */
  hint: string;
  kind: 'second' | 'minute' | 'hour' | 'dom' | 'month' | 'dow';
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** Full names and the common longer abbreviations, to their three-letter form. */
const LONG_NAMES: Record<string, string> = {
  JANUARY: 'JAN',
  FEBRUARY: 'FEB',
  MARCH: 'MAR',
  APRIL: 'APR',
  JUNE: 'JUN',
  JULY: 'JUL',
  AUGUST: 'AUG',
  SEPT: 'SEP',
  SEPTEMBER: 'SEP',
  OCTOBER: 'OCT',
  NOVEMBER: 'NOV',
  DECEMBER: 'DEC',
  SUNDAY: 'SUN',
  MONDAY: 'MON',
  TUES: 'TUE',
  TUESDAY: 'TUE',
  WEDNESDAY: 'WED',
  THUR: 'THU',
  THURS: 'THU',
  THURSDAY: 'THU',
  FRIDAY: 'FRI',
  SATURDAY: 'SAT',
};

const SECOND: Field = {
  label: 'Second',
  min: 0,
  max: 59,
  count: 60,
  hint: 'a number 0–59, a range such as 0-29, a step such as */15, or a list',
  kind: 'second',
};
const MINUTE: Field = { ...SECOND, label: 'Minute', kind: 'minute' };
const HOUR: Field = {
  label: 'Hour',
  min: 0,
  max: 23,
  count: 24,
  hint: 'a number 0–23, a range such as 9-17, a step such as */2, or a list',
  kind: 'hour',
};
const DAY_OF_MONTH: Field = {
  label: 'Day of month',
  min: 1,
  max: 31,
  count: 31,
  hint: 'a number 1–31, a range such as 1-15, a step such as */2, L (last day), LW or 15W (nearest weekday)',
  kind: 'dom',
};
const MONTH: Field = {
  label: 'Month',
  min: 1,
  max: 12,
  count: 12,
  names: MONTHS,
  nameBase: 1,
  hint: 'a number 1–12, JAN–DEC, a range such as MAR-OCT, a step such as */3, or a list',
  kind: 'month',
};
const DAY_OF_WEEK: Field = {
  label: 'Day of week',
  min: 0,
  max: 7,
  count: 7,
  names: DAYS,
  nameBase: 0,
  hint: 'a number 0–7 (0 and 7 are Sunday), SUN–SAT, a range such as MON-FRI, 5L (last Friday) or MON#2 (second Monday)',
  kind: 'dow',
};

const NICKNAMES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

class CronProblem extends Error {}

/** A value as written (number or name) and what it means. */
interface Value {
  n: number;
  named: boolean;
  /** As written, for a number kept as is (leading zeros and all). */
  text?: string;
}

/** "Minute must be 0–59", "Month must be 1–12 or JAN–DEC" … */
function allowed(field: Field): string {
  const numbers = `${field.label} must be ${field.min}–${field.max}`;
  if (field.kind === 'month') return `${numbers} or JAN–DEC`;
  if (field.kind === 'dow') return `${numbers} (0 and 7 are Sunday) or SUN–SAT`;
  return numbers;
}

function readValue(text: string, field: Field): Value {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < field.min || n > field.max) throw new CronProblem(`${allowed(field)}; you wrote ${text}`);
    return { n, named: false, text };
  }
  if (/^[A-Z]+$/.test(text) && field.names) {
    const short = LONG_NAMES[text] ?? text;
    const index = field.names.indexOf(short);
    if (index >= 0) return { n: index + field.nameBase!, named: true };
    const what = field.kind === 'month' ? 'a month' : 'a day of the week';
    const range = `${field.names[0]}–${field.names[field.names.length - 1]}`;
    throw new CronProblem(`${field.label}: ${text} is not ${what}; use ${range} or a number`);
  }
  if (/^-?\d*\.\d+$|^-\d+$/.test(text)) throw new CronProblem(`${allowed(field)}; you wrote ${text}`);
  throw new CronProblem(`${field.label}: cannot read "${text}"; use ${field.hint}`);
}

function writeValue(n: number, named: boolean, field: Field): string {
  if (!named || !field.names) return String(n);
  return field.names[(n - field.nameBase!) % field.names.length]!;
}

function readStep(text: string, field: Field, item: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > field.count) {
    throw new CronProblem(
      `${field.label}: a step must be 1–${field.count}; you wrote ${item.includes('/') ? item : text}`,
    );
  }
  return Number(text);
}

/** The highest value a start/step form runs up to (day of week stops at Saturday, as croner does). */
const lastOf = (field: Field) => (field.kind === 'dow' ? 6 : field.max);

/** One list item of one field → its canonical form (possibly several items). */
function normalizeItem(raw: string, field: Field): string {
  const item = raw.toUpperCase();
  if (item === '')
    throw new CronProblem(`${field.label}: an empty list item (two commas, or a trailing one)`);
  if (field.kind === 'dom') {
    if (item === 'L' || item === 'LW') return item;
    const nearest = /^(\d+)W$/.exec(item);
    if (nearest) return `${readValue(nearest[1]!, field).text}W`;
  }
  if (field.kind === 'dow') {
    const last = /^([A-Z]+|\d+)L$/.exec(item);
    if (last) {
      const value = readValue(last[1]!, field);
      return `${writeValue(value.n, value.named, field)}L`;
    }
    const nth = /^(.+)#(.*)$/.exec(item);
    if (nth) {
      if (!/^[1-5]$|^L$/.test(nth[2]!)) {
        throw new CronProblem(`Day of week: the week after # must be 1–5 or L; you wrote ${raw}`);
      }
      return `${normalizeRange(nth[1]!, field, raw, false)}#${nth[2]}`;
    }
  }
  const slash = item.indexOf('/');
  if (slash < 0) return normalizeRange(item, field, raw, true);
  const base = item.slice(0, slash);
  const step = readStep(item.slice(slash + 1), field, raw);
  if (base === '' || base === '*' || base === '?') return `*/${step}`;
  if (base.includes('-')) return normalizeSteppedRange(base, step, field, raw);
  // `N/step`: from N through the field's last value, as croner's sloppyRanges reads it.
  const start = readValue(base, field);
  if (field.kind === 'dow' && start.n === 7) {
    throw new CronProblem(`Day of week: start a step at 0–6 (Sunday is 0); you wrote ${raw}`);
  }
  return `${writeValue(start.n, start.named, field)}-${writeValue(lastOf(field), start.named, field)}/${step}`;
}

function parseRange(text: string, field: Field, raw: string): [Value, Value] | null {
  const parts = text.split('-');
  if (parts.length === 1) return null;
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    throw new CronProblem(`${field.label}: cannot read "${raw}"; a range is two values, such as 1-5`);
  }
  let from = readValue(parts[0]!, field);
  let to = readValue(parts[1]!, field);
  if (field.kind === 'dow') {
    // Sunday is both 0 and 7: a range starting on Sunday starts at 0, one ending on it ends at 7.
    if (from.n === 7 && to.n < 7) from = { n: 0, named: from.named };
    if (to.n === 0 && from.n > 0) to = { n: 7, named: to.named };
  }
  return [from, to];
}

/** A value or a range, no step. A range that wraps (FRI-MON, 22-2) becomes two ranges. */
function normalizeRange(text: string, field: Field, raw: string, allowWildcard: boolean): string {
  if (allowWildcard && (text === '*' || text === '?')) return '*';
  const range = parseRange(text, field, raw);
  if (!range) {
    const value = readValue(text, field);
    return value.named ? writeValue(value.n, true, field) : text;
  }
  const [from, to] = range;
  const write = (value: Value, n = value.n) =>
    n === value.n && value.text !== undefined ? value.text : writeValue(n, value.named, field);
  const first = field.kind === 'dow' ? 0 : field.min;
  const last = lastOf(field);
  if (from.n <= to.n) return `${write(from)}-${write(to)}`;
  const head = from.n === last ? write(from) : `${write(from)}-${write(from, last)}`;
  const tail = to.n === first ? write(to) : `${write(to, first)}-${write(to)}`;
  return `${head},${tail}`;
}

/** `A-B/step`; a wrapped one is written out as the list of values it reaches. */
function normalizeSteppedRange(text: string, step: number, field: Field, raw: string): string {
  const [from, to] = parseRange(text, field, raw)!;
  if (from.n <= to.n) return `${normalizeRange(text, field, raw, false)}/${step}`;
  const write = (n: number) => writeValue(n, from.named || to.named, field);
  const first = field.kind === 'dow' ? 0 : field.min;
  const span = lastOf(field) - first + 1;
  const values: number[] = [];
  for (let at = from.n; at <= to.n + span; at += step) {
    values.push(at > lastOf(field) ? at - span : at);
  }
  return values.map(write).join(',');
}

const FIELDS_5 = [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];
const FIELDS_6 = [SECOND, ...FIELDS_5];

function normalizeField(text: string, field: Field): string {
  let body = text;
  let prefix = '';
  if (field.kind === 'dow' && body.startsWith('+')) {
    // croner's "+": day of month AND day of week for this pattern.
    prefix = '+';
    body = body.slice(1);
    if (body === '') throw new CronProblem('Day of week: + needs days after it, such as +MON');
  }
  const items = body.split(',').map((item) => normalizeItem(item, field));
  if (field.kind === 'dom' && items.includes('LW') && items.length > 1) {
    throw new CronProblem('Day of month: LW stands alone, not in a list');
  }
  return prefix + items.join(',');
}

/** The options every part of Almanac builds croner with for a stored expression. */
export const CRON_OPTIONS = { paused: true, domAndDow: false, mode: '5-or-6-parts' } as const;

/**
 * Reads a cron expression in any of the dialects above. Returns the canonical expression and
 * whether it differs from what was written beyond spacing and letter case, or a sentence saying
 * what is wrong.
 */
export function normalizeCron(text: string): NormalizedCron {
  // Pure, and asked twice per save (the reader, then the schema): croner's parse is the cost.
  const known = readings.get(text);
  if (known) return known;
  const reading = read(text);
  if (text.length > 200) return reading;
  if (readings.size >= 10_000) readings.clear();
  readings.set(text, reading);
  return reading;
}

const readings = new Map<string, NormalizedCron>();

function read(text: string): NormalizedCron {
  const written = text.trim().replace(/\s+/g, ' ');
  if (written === '') return { error: 'Cron expression is required' };
  let expression: string;
  try {
    expression = written.startsWith('@') ? normalizeNickname(written) : normalizeFields(written);
  } catch (error) {
    if (error instanceof CronProblem) return { error: error.message };
    throw error;
  }
  try {
    new Cron(expression, { ...CRON_OPTIONS, timezone: 'Etc/UTC' });
  } catch (error) {
    // Not reached by any form the tests know; kept so a croner change cannot let a pattern through.
    const detail = (error as Error).message.replace(/^CronPattern:\s*/, '');
    return { error: `Almanac cannot read this cron expression (${detail})` };
  }
  return { expression, changed: expression.toUpperCase() !== written.toUpperCase() };
}

function normalizeNickname(written: string): string {
  const nickname = written.toLowerCase();
  if (nickname === '@reboot') {
    throw new CronProblem(
      '@reboot runs when the computer starts, which Almanac has no trigger for; use a once trigger (a date and time) or an interval trigger',
    );
  }
  if (nickname.startsWith('@every')) {
    throw new CronProblem(`${written} is an interval; use an interval trigger (every N seconds)`);
  }
  if (!NICKNAMES.includes(nickname)) {
    throw new CronProblem(`${written} is not a cron nickname; use ${NICKNAMES.join(', ')}`);
  }
  return nickname;
}

function normalizeFields(written: string): string {
  const parts = written.split(' ');
  if (parts.length !== 5 && parts.length !== 6) {
    throw new CronProblem(
      `A cron expression has 5 fields (or 6 with seconds first); this one has ${parts.length}`,
    );
  }
  const fields = parts.length === 6 ? FIELDS_6 : FIELDS_5;
  return parts.map((part, i) => normalizeField(part, fields[i]!)).join(' ');
}
