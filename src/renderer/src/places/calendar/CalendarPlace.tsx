/**
 * Calendar: a week (or a day) of slots in the viewer's zone. Ahead of now each slot shows what the
 * planner will run there, behind it the runs recorded, coloured by status; working hours are
 * shaded, a load heat makes pile-ups visible, and a free slot ahead can be booked with a one-time
 * reminder or command.
 */
import { DateTime, Interval } from 'luxon';
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type FormEvent,
  type ReactElement,
} from 'react';
import { toFieldIssues, type CalendarSlot } from '../../../../shared/api';
import { ScheduleFields, type RunStatus, type ScheduleInput } from '../../../../shared/domain';
import { SLOT_MINUTES } from '../../../../shared/settings';
import { rangeOf, slotsByDay, type CalendarRange } from '../../stores/calendar';
import { formatDay, formatDayTime, formatDuration, formatTime } from '../../lib/time';
import { useCalendar, useSettings, useStores } from '../../stores';

/** The clock to the minute: enough for the "now" line, without re-rendering every cell each second. */
function useMinuteNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function slotLabel(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '1 day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return `${minutes} min`;
}

function rangeTitle(range: CalendarRange, zone: string, view: 'week' | 'day'): string {
  const first = DateTime.fromISO(range.days[0]!, { zone });
  if (view === 'day')
    return first.toLocaleString({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
  const last = DateTime.fromISO(range.days[range.days.length - 1]!, { zone });
  return Interval.fromDateTimes(first, last.endOf('day')).toLocaleString({
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  });
}

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** Past runs in three tones: succeeded, failed (timed out and interrupted too), and the rest. */
const FAILED: readonly RunStatus[] = ['failed', 'timed-out', 'interrupted'];
function pastTones(past: CalendarSlot['past']): { ok: number; failed: number; other: number } {
  let ok = 0;
  let failed = 0;
  let other = 0;
  for (const [status, count] of Object.entries(past) as [RunStatus, number][]) {
    if (status === 'succeeded') ok += count;
    else if (FAILED.includes(status)) failed += count;
    else other += count;
  }
  return { ok, failed, other };
}

function describePast(past: CalendarSlot['past']): string {
  return Object.entries(past)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
}

export function CalendarPlace() {
  const { calendar, settings } = useStores();
  useEffect(() => {
    void settings.getState().ensureLoaded();
    return calendar.getState().activate();
  }, [calendar, settings]);

  const view = useCalendar((state) => state.view);
  const anchor = useCalendar((state) => state.anchor);
  const zone = useCalendar((state) => state.zone);
  const loading = useCalendar((state) => state.loading);
  const error = useCalendar((state) => state.error);
  const data = useCalendar((state) => state.data);
  const slotOverride = useCalendar((state) => state.slotOverride);
  const settingSlot = useSettings((state) => state.settings?.calendar.slotMinutes ?? null);
  const range = rangeOf(view, anchor, zone);
  const slotMinutes = slotOverride ?? settingSlot ?? data?.slotMinutes ?? null;
  const title = rangeTitle(range, zone, view);

  const { shift, goToday, setView, setSlotMinutes, load } = calendar.getState();

  return (
    <div className="place place-calendar">
      <header className="place-head">
        <h1>Calendar</h1>
        <span className="muted cal-zone" title="Times are shown in this zone">
          {zone}
        </span>
      </header>
      <StatsStrip />
      <section className="card cal-card" aria-labelledby="cal-title">
        <div className="cal-toolbar">
          <div className="cal-nav" role="group" aria-label="Navigate">
            <button
              type="button"
              className="button small icon"
              aria-label={`Previous ${view}`}
              onClick={() => shift(-1)}
            >
              ‹
            </button>
            <button type="button" className="button small" onClick={goToday}>
              Today
            </button>
            <button
              type="button"
              className="button small icon"
              aria-label={`Next ${view}`}
              onClick={() => shift(1)}
            >
              ›
            </button>
          </div>
          <h2 id="cal-title" className="card-title cal-title">
            {title}
          </h2>
          <span className="cal-status muted" role="status" aria-live="polite">
            {loading ? 'Loading…' : ''}
          </span>
          <div className="push-right cal-controls">
            <label className="cal-slot">
              <span>Slot</span>
              <select
                value={slotMinutes ?? ''}
                onChange={(event) => {
                  const value = Number(event.target.value);
                  setSlotMinutes(value === settingSlot ? null : value);
                }}
              >
                {slotMinutes === null ? <option value="">…</option> : null}
                {SLOT_MINUTES.map((minutes) => (
                  <option key={minutes} value={minutes}>
                    {slotLabel(minutes)}
                    {minutes === settingSlot ? ' (default)' : ''}
                  </option>
                ))}
              </select>
            </label>
            <div className="segmented" role="group" aria-label="View">
              {(['day', 'week'] as const).map((option) => (
                <button
                  key={option}
                  type="button"
                  className="segment"
                  aria-pressed={view === option}
                  onClick={() => setView(option)}
                >
                  {option === 'day' ? 'Day' : 'Week'}
                </button>
              ))}
            </div>
          </div>
        </div>
        {error ? (
          <p className="inline-error cal-error" role="alert">
            Could not load the calendar: {error}{' '}
            <button type="button" className="button small" onClick={() => void load()}>
              Retry
            </button>
          </p>
        ) : null}
        {data?.truncated ? (
          <p className="note cal-truncated">
            Planning stopped early for this range; not counted:{' '}
            {data.notShown
              .slice(0, 5)
              .map((item) => item.name)
              .join(', ')}
            {data.notShown.length > 5 ? ` and ${data.notShown.length - 5} more` : ''}.
          </p>
        ) : null}
        <SlotGrid />
        <Legend />
      </section>
    </div>
  );
}

function Legend() {
  return (
    <ul className="cal-legend" aria-label="Legend">
      <li>
        <span className="cal-swatch cal-swatch-planned" aria-hidden="true" /> planned
      </li>
      <li>
        <span className="cal-swatch cal-swatch-ok" aria-hidden="true" /> succeeded
      </li>
      <li>
        <span className="cal-swatch cal-swatch-failed" aria-hidden="true" /> failed
      </li>
      <li>
        <span className="cal-swatch cal-swatch-other" aria-hidden="true" /> other
      </li>
      <li>
        <span className="cal-swatch cal-swatch-working" aria-hidden="true" /> working hours
      </li>
      <li>
        <span className="cal-swatch cal-swatch-heat" aria-hidden="true" /> busier
      </li>
      <li>
        <span className="cal-swatch cal-swatch-now" aria-hidden="true" /> now
      </li>
    </ul>
  );
}

function StatsStrip() {
  const stats = useCalendar((state) => state.stats);
  const error = useCalendar((state) => state.statsError);
  const loading = useCalendar((state) => state.statsLoading);
  const failed = stats ? FAILED.reduce((sum, status) => sum + (stats.byStatus[status] ?? 0), 0) : 0;
  return (
    <section className="cal-stats" aria-label="Runs in this range" aria-busy={loading || undefined}>
      {error ? (
        <p className="inline-error">Could not load statistics: {error}</p>
      ) : (
        <dl>
          <div>
            <dt>Runs</dt>
            <dd data-testid="stat-total">{stats ? stats.total : '—'}</dd>
          </div>
          <div>
            <dt>Success rate</dt>
            <dd data-testid="stat-success">
              {stats?.successRate === null || !stats ? '—' : `${Math.round(stats.successRate * 100)}%`}
            </dd>
          </div>
          <div>
            <dt>Failed</dt>
            <dd className={failed ? 'cal-stat-bad' : undefined}>{stats ? failed : '—'}</dd>
          </div>
          <div>
            <dt>Median duration</dt>
            <dd data-testid="stat-p50">{formatDuration(stats?.durationMs?.p50)}</dd>
          </div>
          <div>
            <dt>p95 duration</dt>
            <dd data-testid="stat-p95">{formatDuration(stats?.durationMs?.p95)}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}

interface Booking {
  start: string;
  /** Open the form above the slot (there is more room there). */
  up: boolean;
}

function SlotGrid() {
  const data = useCalendar((state) => state.data);
  const range = useCalendar((state) => state.dataRange);
  const zone = useCalendar((state) => state.zone);
  const loading = useCalendar((state) => state.loading);
  const working = useSettings((state) => state.settings?.workingHours ?? null);
  // A slot has room for a booking while the queue could start its planned runs at one per lane a minute.
  const lanes = useSettings((state) => state.settings?.maxConcurrentRuns ?? 4);
  const now = useMinuteNow();
  const [booking, setBooking] = useState<Booking | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const scrolledFor = useRef<string | null>(null);

  const open = useCallback((slot: CalendarSlot, up: boolean) => setBooking({ start: slot.start, up }), []);
  const close = useCallback(() => setBooking(null), []);

  const slotMinutes = data?.slotMinutes ?? 60;
  const byDay = data ? slotsByDay(data.slots, zone) : new Map<string, CalendarSlot[]>();
  const rowCount = Math.max(
    Math.round(1440 / slotMinutes),
    ...[...byDay.values()].map((slots) => slots.length),
  );
  const maxLoad = data ? Math.max(0, ...data.slots.map((slot) => slot.plannedCount + slot.pastCount)) : 0;
  const today = DateTime.fromMillis(now, { zone }).toISODate();

  // Bring the interesting part into view once per range and slot size: now if shown, else the working day.
  const scrollKey = data && range ? `${range.from}|${slotMinutes}` : null;
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element || !scrollKey || scrolledFor.current === scrollKey || !range) return;
    scrolledFor.current = scrollKey;
    const nowMinutes = DateTime.fromMillis(now, { zone }).diff(
      DateTime.fromMillis(now, { zone }).startOf('day'),
      'minutes',
    ).minutes;
    const target = range.days.includes(today ?? '')
      ? nowMinutes - 60
      : working
        ? minutesOf(working.start) - 30
        : 8 * 60;
    const row = Math.max(0, Math.floor(target / slotMinutes));
    const tr = element.querySelectorAll('tbody tr')[row] as HTMLElement | undefined;
    const head = element.querySelector('thead') as HTMLElement | null;
    if (tr && typeof element.scrollTo === 'function')
      element.scrollTo({ top: tr.offsetTop - (head?.offsetHeight ?? 0) });
  }, [scrollKey, range, now, zone, today, working, slotMinutes]);

  if (!data || !range) {
    return <div className="cal-placeholder muted">{loading ? 'Loading…' : 'Nothing to show yet.'}</div>;
  }

  const workStart = working ? minutesOf(working.start) : null;
  const workEnd = working ? minutesOf(working.end) : null;
  const dayInfo = range.days.map((day) => {
    const date = DateTime.fromISO(day, { zone });
    return {
      day,
      label: formatDay(date),
      long: formatDay(date, { long: true }),
      workday: working ? working.days.includes(date.weekday) : false,
      slots: byDay.get(day) ?? [],
    };
  });
  const rowLabel = (row: number) =>
    slotMinutes >= 1440
      ? 'All day'
      : formatTime(DateTime.fromObject({ hour: 0 }, { zone: 'utc' }).plus({ minutes: row * slotMinutes }));

  return (
    <div className={`cal-scroll${loading ? ' cal-loading' : ''}`} ref={scroller}>
      <table
        className={`cal-grid cal-days-${range.days.length}`}
        aria-label={`Calendar in slots of ${slotLabel(slotMinutes)}`}
        aria-busy={loading || undefined}
        data-slot-minutes={slotMinutes}
      >
        <thead>
          <tr>
            <th scope="col" className="cal-corner">
              <span className="visually-hidden">Time</span>
            </th>
            {dayInfo.map((info) => (
              <th
                key={info.day}
                scope="col"
                className={`cal-day${info.day === today ? ' cal-day-today' : ''}`}
                aria-label={info.long}
              >
                {info.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rowCount }, (_, row) => {
            const rowStart = row * slotMinutes;
            const onHour = slotMinutes >= 60 || rowStart % 60 === 0;
            const inHours =
              workStart !== null && workEnd !== null && rowStart >= workStart && rowStart < workEnd;
            return (
              <tr key={row} className={onHour ? 'cal-row-hour' : undefined}>
                <th scope="row" className="cal-time">
                  <span className={onHour ? undefined : 'visually-hidden'}>{rowLabel(row)}</span>
                </th>
                {dayInfo.map((info, column) => {
                  const slot = info.slots[row];
                  if (!slot) return <td key={info.day} className="cal-cell cal-cell-none" />;
                  const start = Date.parse(slot.start);
                  const end = Date.parse(slot.end);
                  const phase = end <= now ? 'past' : start <= now ? 'now' : 'future';
                  return (
                    <SlotCell
                      key={info.day}
                      slot={slot}
                      dayLabel={info.long}
                      zone={zone}
                      phase={phase}
                      nowFraction={phase === 'now' ? (now - start) / (end - start) : null}
                      working={info.workday && inHours}
                      heat={maxLoad > 0 ? (slot.plannedCount + slot.pastCount) / maxLoad : 0}
                      bookable={end - now > 60_000 && slot.plannedCount < (lanes * (end - start)) / 60_000}
                      booking={booking?.start === slot.start}
                      alignEnd={range.days.length > 1 && column >= range.days.length - 3}
                      openUp={booking?.start === slot.start && booking.up}
                      onOpen={open}
                      onClose={close}
                    />
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

interface SlotCellProps {
  slot: CalendarSlot;
  dayLabel: string;
  zone: string;
  phase: 'past' | 'now' | 'future';
  nowFraction: number | null;
  working: boolean;
  heat: number;
  bookable: boolean;
  booking: boolean;
  alignEnd: boolean;
  openUp: boolean;
  onOpen(slot: CalendarSlot, up: boolean): void;
  onClose(): void;
}

const SlotCell = memo(function SlotCell(props: SlotCellProps) {
  const { slot, dayLabel, zone, phase, nowFraction, working, heat, bookable, booking } = props;
  const trigger = useRef<HTMLButtonElement>(null);
  const start = DateTime.fromISO(slot.start, { zone });
  const end = DateTime.fromISO(slot.end, { zone });
  const time = `${formatTime(start)}–${formatTime(end)}`;
  const tones = pastTones(slot.past);
  const names = slot.planned.map((item) => item.name);
  const more = slot.plannedCount - slot.planned.length;

  const parts = [`${dayLabel}, ${time}`];
  if (slot.plannedCount > 0) {
    parts.push(
      `${slot.plannedCount} planned${names.length ? ` (${names.join(', ')}${more > 0 ? ` and ${more} more` : ''})` : ''}`,
    );
  }
  if (slot.pastCount > 0)
    parts.push(`${slot.pastCount} past ${slot.pastCount === 1 ? 'run' : 'runs'}: ${describePast(slot.past)}`);
  if (slot.plannedCount === 0 && slot.pastCount === 0) parts.push(phase === 'past' ? 'nothing ran' : 'free');
  if (working) parts.push('working hours');
  const label = parts.join('; ');

  const classes = ['cal-cell', `cal-${phase}`];
  if (working) classes.push('cal-working');
  if (heat > 0) classes.push('cal-hot');
  if (booking) classes.push('cal-booking');
  const tooltip = slot.planned.length
    ? slot.planned.map((item) => `${formatTime(item.at, zone)} ${item.name}`).join('\n') +
      (more > 0 ? `\n+${more} more` : '')
    : undefined;

  return (
    <td
      className={classes.join(' ')}
      aria-label={label}
      style={heat > 0 ? ({ '--heat': heat.toFixed(3) } as CSSProperties) : undefined}
      data-testid="cal-cell"
      data-start={slot.start}
      data-planned={slot.plannedCount}
      data-past={slot.pastCount}
      title={tooltip}
    >
      <div className="cal-content">
        {slot.pastCount > 0 ? (
          <span className="cal-runs" aria-hidden="true">
            {tones.ok ? <span className="cal-run cal-run-ok">{tones.ok}</span> : null}
            {tones.failed ? <span className="cal-run cal-run-failed">{tones.failed}</span> : null}
            {tones.other ? <span className="cal-run cal-run-other">{tones.other}</span> : null}
          </span>
        ) : null}
        {slot.plannedCount > 0 ? (
          <span className="cal-planned" aria-hidden="true">
            <span className="cal-planned-count">{slot.plannedCount}</span>
            <span className="cal-planned-names">
              {/* a dense schedule is counted per slot, not named: say "planned", not "+N" of nothing */}
              {names.length ? `${names.join(', ')}${more > 0 ? ` +${more}` : ''}` : 'planned'}
            </span>
          </span>
        ) : null}
      </div>
      {bookable ? (
        <button
          ref={trigger}
          type="button"
          className="cal-book"
          aria-label={`Book ${dayLabel}, ${time}`}
          aria-expanded={booking}
          onClick={(event) => {
            // Open downwards unless the slot sits low in the visible part of the grid.
            const cell = event.currentTarget.closest('td')?.getBoundingClientRect();
            const view = event.currentTarget.closest('.cal-scroll')?.getBoundingClientRect();
            const below = cell && view ? view.bottom - cell.bottom : Infinity;
            const above = cell && view ? cell.top - view.top : 0;
            props.onOpen(slot, below < FORM_HEIGHT && above > below);
          }}
        >
          <span aria-hidden="true">+</span>
        </button>
      ) : null}
      {nowFraction !== null ? (
        <span
          className="cal-now-line"
          style={{ top: `${(nowFraction * 100).toFixed(1)}%` }}
          aria-hidden="true"
        />
      ) : null}
      {booking ? (
        <BookingForm
          slot={slot}
          zone={zone}
          alignEnd={props.alignEnd}
          openUp={props.openUp}
          onClose={() => {
            props.onClose();
            trigger.current?.focus();
          }}
        />
      ) : null}
    </td>
  );
});

type Kind = 'reminder' | 'command';
/** Roughly the booking form's height, to choose whether it opens above or below its slot. */
const FORM_HEIGHT = 320;
type BookField = 'name' | 'text' | 'time';

const BOOK_FIELD_BY_PATH: Record<string, BookField> = {
  name: 'name',
  'action.title': 'text',
  'action.command': 'text',
  'trigger.at': 'time',
};

/** Where a booking lands by default: the slot's start, or the next five minutes when the slot has begun. */
function defaultTime(slot: CalendarSlot, zone: string): string {
  const start = Date.parse(slot.start);
  const now = Date.now();
  let at = start;
  if (start <= now) {
    const step = 5 * 60_000;
    at = Math.ceil((now + 60_000) / step) * step;
    if (at >= Date.parse(slot.end)) at = Math.ceil((now + 60_000) / 60_000) * 60_000;
  }
  return DateTime.fromMillis(at, { zone }).toFormat('HH:mm');
}

interface BookingFormProps {
  slot: CalendarSlot;
  zone: string;
  alignEnd: boolean;
  openUp: boolean;
  onClose(): void;
}

function BookingForm({ slot, zone, alignEnd, openUp, onClose }: BookingFormProps) {
  const { schedules, calendar, app } = useStores();
  const uid = useId();
  const day = DateTime.fromISO(slot.start, { zone }).toISODate()!;
  const [kind, setKind] = useState<Kind>('reminder');
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [time, setTime] = useState(() => defaultTime(slot, zone));
  const [errors, setErrors] = useState<Partial<Record<BookField, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    form.current?.scrollIntoView?.({ block: 'nearest' });
    nameInput.current?.focus({ preventScroll: true });
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const title = text.trim() || name.trim();
    const input: ScheduleInput = {
      name: name.trim(),
      trigger: { type: 'once', at: `${day}T${time}`, timezone: zone },
      action:
        kind === 'reminder' ? { type: 'reminder', title } : { type: 'command', command: text, shell: true },
    };
    const found: Partial<Record<BookField, string>> = {};
    const checked = ScheduleFields.safeParse(input);
    const other: string[] = [];
    if (!checked.success) {
      for (const issue of toFieldIssues(checked.error)) {
        const field = BOOK_FIELD_BY_PATH[issue.path];
        if (field) found[field] ??= issue.message;
        else other.push(issue.message);
      }
    }
    if (!/^\d{2}:\d{2}$/.test(time)) found.time = 'Give a time such as 09:30';
    else if (DateTime.fromISO(`${day}T${time}`, { zone }).toMillis() <= Date.now()) {
      found.time = 'Pick a time that is still ahead';
    }
    if (Object.keys(found).length || other.length) {
      setErrors(found);
      setFailure(other[0] ?? null);
      return;
    }
    setErrors({});
    setFailure(null);
    setPending(true);
    const result = await schedules.getState().create(input);
    setPending(false);
    if (result.ok) {
      const at = formatDayTime(DateTime.fromISO(`${day}T${time}`, { zone }));
      app.getState().notify('success', `Booked “${result.value.name}” for ${at}.`);
      onClose();
      void calendar.getState().load();
      return;
    }
    const fromServer: Partial<Record<BookField, string>> = {};
    for (const issue of result.error.issues ?? []) {
      const field = BOOK_FIELD_BY_PATH[issue.path];
      if (field) fromServer[field] ??= issue.message;
    }
    setErrors(fromServer);
    setFailure(`Could not book: ${result.error.message}`);
  };

  const field = (key: BookField, label: string, control: ReactElement) => (
    <div className={`field${errors[key] ? ' field-invalid' : ''}`}>
      <label htmlFor={`${uid}-${key}`}>{label}</label>
      {control}
      {errors[key] ? (
        <p id={`${uid}-${key}-error`} className="field-error">
          {errors[key]}
        </p>
      ) : null}
    </div>
  );
  const invalid = (key: BookField) => ({
    id: `${uid}-${key}`,
    'aria-invalid': errors[key] ? true : undefined,
    'aria-describedby': errors[key] ? `${uid}-${key}-error` : undefined,
  });

  return (
    <form
      ref={form}
      className={`cal-book-form${alignEnd ? ' cal-align-end' : ''}${openUp ? ' cal-open-up' : ''}`}
      aria-label="Book this slot"
      onSubmit={submit}
      noValidate
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
      onClick={(event) => event.stopPropagation()}
    >
      <div className="cal-book-head">
        <strong>Book a one-time schedule</strong>
        <span className="muted">{formatDay(slot.start, { zone })}</span>
      </div>
      <div className="segmented" role="radiogroup" aria-label="Kind">
        {(['reminder', 'command'] as const).map((option) => (
          <label key={option} className="segment">
            <input
              type="radio"
              name={`${uid}-kind`}
              value={option}
              checked={kind === option}
              onChange={() => setKind(option)}
            />
            {option === 'reminder' ? 'Reminder' : 'Command'}
          </label>
        ))}
      </div>
      {field(
        'name',
        'Name',
        <input
          ref={nameInput}
          {...invalid('name')}
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder={kind === 'reminder' ? 'Stretch' : 'Clean downloads'}
          autoComplete="off"
        />,
      )}
      {field(
        'text',
        kind === 'reminder' ? 'Reminder title' : 'Command',
        <input
          {...invalid('text')}
          className={kind === 'command' ? 'mono' : undefined}
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder={kind === 'reminder' ? 'Same as the name' : 'rm -rf ~/Downloads/tmp'}
          autoComplete="off"
          spellCheck={false}
        />,
      )}
      {field(
        'time',
        `Time (${zone})`,
        <input
          {...invalid('time')}
          type="time"
          value={time}
          onChange={(event) => setTime(event.target.value)}
        />,
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="button small primary"
          disabled={pending}
          aria-busy={pending || undefined}
        >
          {pending ? 'Booking…' : 'Book'}
        </button>
        <button type="button" className="button small ghost" onClick={onClose}>
          Cancel
        </button>
      </div>
      {failure ? (
        <p className="form-status form-status-error" role="alert">
          {failure}
        </p>
      ) : null}
    </form>
  );
}
