/**
 * Application settings (DESIGN.md §5 `settings.get` / `settings.update`): one typed object with a
 * default for every field, so a fresh data directory and an old one read the same way.
 */
import { z } from 'zod';

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time such as 09:00');

/** Slot sizes that divide a day evenly, so every day of the grid has the same rows. */
export const SLOT_MINUTES = [5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440] as const;
export const SlotMinutes = z
  .number()
  .int()
  .refine((value) => (SLOT_MINUTES as readonly number[]).includes(value), {
    message: `Slot size must be one of ${SLOT_MINUTES.join(', ')} minutes`,
  });

const Retention = z.object({
  /** Finished runs kept per schedule; older ones are pruned in small batches. */
  runsPerSchedule: z.number().int().min(1).max(1_000_000),
  /** Finished runs older than this many days are pruned. */
  maxAgeDays: z.number().int().min(1).max(36_500),
});

const Notifications = z.object({
  /** Master switch for native / browser notifications (reminders still post to history). */
  enabled: z.boolean(),
  /** The `notify` policy the editor proposes for a new schedule. */
  defaultNotify: z.enum(['never', 'failure', 'always']),
  silent: z.boolean(),
});

export const WorkingHours = z
  .object({
    start: ClockTime,
    end: ClockTime,
    /** ISO weekdays: 1 = Monday … 7 = Sunday. */
    days: z.array(z.number().int().min(1).max(7)).max(7),
  })
  .refine((hours) => hours.end > hours.start, {
    message: 'Working hours must end after they start',
    path: ['end'],
  });

const Calendar = z.object({ slotMinutes: SlotMinutes });

/** A local `.ics` file whose events mark busy time on the calendar grid. */
export const BusyCalendar = z.strictObject({
  path: z.string().trim().min(1, 'Give the path of an .ics file').max(4096),
  name: z.string().trim().min(1, 'Name the calendar').max(100),
});
export type BusyCalendar = z.infer<typeof BusyCalendar>;
export const BusyCalendars = z
  .array(BusyCalendar)
  .max(20, 'At most 20 busy calendars')
  .superRefine((calendars, ctx) => {
    calendars.forEach((calendar, i) => {
      if (calendars.findIndex((other) => other.path === calendar.path) < i) {
        ctx.addIssue({ code: 'custom', path: [i, 'path'], message: 'This file is already in the list' });
      }
    });
  });

export const Settings = z.object({
  maxConcurrentRuns: z.number().int().min(1).max(10_000),
  retention: Retention,
  notifications: Notifications,
  workingHours: WorkingHours,
  calendar: Calendar,
  closeToTray: z.boolean(),
  launchAtLogin: z.boolean(),
  busyCalendars: BusyCalendars,
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  maxConcurrentRuns: 4,
  retention: { runsPerSchedule: 1000, maxAgeDays: 90 },
  notifications: { enabled: true, defaultNotify: 'failure', silent: false },
  workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
  calendar: { slotMinutes: 30 },
  closeToTray: true,
  launchAtLogin: false,
  busyCalendars: [],
};

/** A patch: any top-level field, and any part of a nested one. Unknown keys are refused. */
export const SettingsPatch = z
  .object({
    maxConcurrentRuns: Settings.shape.maxConcurrentRuns,
    retention: Retention.partial().strict(),
    notifications: Notifications.partial().strict(),
    workingHours: z.object(WorkingHours.shape).partial().strict(),
    calendar: Calendar.partial().strict(),
    closeToTray: z.boolean(),
    launchAtLogin: z.boolean(),
    /** The whole list: a patch replaces it. */
    busyCalendars: BusyCalendars,
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** Applies a patch and validates the whole (a patch may make start and end disagree). */
export function applySettingsPatch(settings: Settings, patch: SettingsPatch): z.ZodSafeParseResult<Settings> {
  const merged: Record<string, unknown> = { ...settings };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = merged[key];
    merged[key] =
      typeof value === 'object' && value !== null && !Array.isArray(value) && typeof current === 'object'
        ? { ...current, ...value }
        : value;
  }
  return Settings.safeParse(merged);
}
