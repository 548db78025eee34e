/**
 * Cron presets both ways: the cron each preset writes ("weekdays at 09:00" → `0 9 * * 1-5`), the preset
 * a stored cron is recognised as when a schedule is reopened, and an interval in its largest whole unit.
 */
import { normalizeCron } from '../../../../shared/cron-normalize';
import type { IntervalUnit, WhenValues } from './formState';

const pad = (n: number) => String(n).padStart(2, '0');

function splitTime(time: string): { hour: number; minute: number } | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

/** The cron a preset writes, or an error at the preset's own field. */
export function presetCron(when: WhenValues): { cron: string } | { path: string; message: string } {
  if (when.preset === 'minutes') {
    const n = when.everyMinutes;
    if (n === null || !Number.isInteger(n) || n < 1 || n > 59)
      return { path: 'when.everyMinutes', message: 'Every 1 to 59 minutes' };
    return { cron: n === 1 ? '* * * * *' : `*/${n} * * * *` };
  }
  if (when.preset === 'hourly') {
    const m = when.minute;
    if (m === null || !Number.isInteger(m) || m < 0 || m > 59)
      return { path: 'when.minute', message: 'Minute must be 0–59' };
    return { cron: `${m} * * * *` };
  }
  const time = splitTime(when.time);
  if (!time) return { path: 'when.time', message: 'Give a time of day such as 09:30' };
  const at = `${time.minute} ${time.hour}`;
  switch (when.preset) {
    case 'daily':
      return { cron: `${at} * * *` };
    case 'weekdays':
      return { cron: `${at} * * 1-5` };
    case 'weekly': {
      const days = [...new Set(when.days)].map(Number).sort((a, b) => a - b);
      if (days.length === 0) return { path: 'when.days', message: 'Choose at least one day' };
      return { cron: `${at} * * ${days.join(',')}` };
    }
    case 'monthly': {
      if (when.monthLast) return { cron: `${at} L * *` };
      const d = when.monthDay;
      if (d === null || !Number.isInteger(d) || d < 1 || d > 31)
        return { path: 'when.monthDay', message: 'Day of month must be 1–31' };
      return { cron: `${at} ${d} * *` };
    }
  }
}

const DAY_NAMES: Record<string, string> = {
  SUN: '0',
  MON: '1',
  TUE: '2',
  WED: '3',
  THU: '4',
  FRI: '5',
  SAT: '6',
};

function dayNumber(token: string): string | null {
  const upper = token.toUpperCase();
  if (upper in DAY_NAMES) return DAY_NAMES[upper]!;
  if (/^[0-7]$/.test(token)) return token === '7' ? '0' : token;
  return null;
}

/** The preset a cron expression was written by (after normalising), or null: then it is raw cron. */
export function recognisePreset(expression: string): Partial<WhenValues> | null {
  const normal = normalizeCron(expression);
  if ('error' in normal) return null;
  const fields = normal.expression.split(/\s+/);
  if (fields.length !== 5) return null;
  const [min, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (month !== '*') return null;
  const num = (text: string, max: number) =>
    /^\d{1,2}$/.test(text) && Number(text) <= max ? Number(text) : null;
  if (hour === '*' && dom === '*' && dow === '*') {
    if (min === '*') return { preset: 'minutes', everyMinutes: 1 };
    const step = /^\*\/(\d{1,2})$/.exec(min);
    if (step && Number(step[1]) >= 1 && Number(step[1]) <= 59)
      return { preset: 'minutes', everyMinutes: Number(step[1]) };
    const m = num(min, 59);
    return m === null ? null : { preset: 'hourly', minute: m };
  }
  const m = num(min, 59);
  const h = num(hour, 23);
  if (m === null || h === null) return null;
  const time = `${pad(h)}:${pad(m)}`;
  if (dom === '*' && dow === '*') return { preset: 'daily', time };
  if (dom === '*') {
    if (dow === '1-5' || dow === 'MON-FRI') return { preset: 'weekdays', time };
    const days = dow.split(',').map(dayNumber);
    if (days.some((day) => day === null)) return null;
    const unique = [...new Set(days as string[])].sort();
    return { preset: 'weekly', time, days: unique };
  }
  if (dow === '*') {
    if (dom === 'L') return { preset: 'monthly', time, monthLast: true };
    const d = num(dom, 31);
    if (d !== null && d >= 1) return { preset: 'monthly', time, monthDay: d, monthLast: false };
  }
  return null;
}

export const UNIT_SECONDS: Record<IntervalUnit, number> = { s: 1, min: 60, h: 3600 };

export function splitInterval(seconds: number): { intervalValue: number; intervalUnit: IntervalUnit } {
  if (seconds % 3600 === 0) return { intervalValue: seconds / 3600, intervalUnit: 'h' };
  if (seconds % 60 === 0) return { intervalValue: seconds / 60, intervalUnit: 'min' };
  return { intervalValue: seconds, intervalUnit: 's' };
}
