/**
 * The grid: one column per local day, one row per slot. Ahead of now a cell shows what the planner
 * will run there (each schedule can be opened from it), behind it the runs recorded; busy blocks of
 * the person's calendars are drawn over the part of the slot they cover and named where they begin.
 */
import { DateTime } from 'luxon';
import { memo, useCallback, useLayoutEffect, useMemo, useRef, type CSSProperties } from 'react';
import type { BusyBlock, CalendarSlot } from '../../../../shared/api';
import { slotsByDay } from '../../stores/calendar';
import { useCalendar, useSettings, useStores } from '../../stores';
import { formatDay, formatTime } from '../../lib/time';
import { DetailsPopover } from '../../ui/DetailsPopover';
import { BookingForm, FORM_HEIGHT } from './BookingForm';
import { describePast, minutesOf, pastTones, slotLabel, useMinuteNow } from './calendarText';

/** A busy block as one cell draws it: the covered part of the slot, and whether its name goes here. */
export interface CellBusy {
  block: BusyBlock;
  /** Fractions of the slot's height above and below the covered part. */
  top: number;
  bottom: number;
  /** The first cell of this block in its day column carries its name. */
  named: boolean;
}

export function busyName(block: BusyBlock): string {
  return block.summary ? `${block.summary} (${block.calendar})` : `Busy (${block.calendar})`;
}

/** The busy blocks of each slot, keyed by the slot's start. */
export function busyBySlot(slots: readonly CalendarSlot[], blocks: readonly BusyBlock[], zone: string) {
  const out = new Map<string, CellBusy[]>();
  if (!blocks.length) return out;
  const spans = blocks.map((block) => ({
    block,
    start: Date.parse(block.start),
    end: Date.parse(block.end),
  }));
  const named = new Set<string>();
  for (const slot of slots) {
    const start = Date.parse(slot.start);
    const end = Date.parse(slot.end);
    const day = DateTime.fromMillis(start, { zone }).toISODate();
    spans.forEach((span, i) => {
      if (span.end <= start || span.start >= end) return;
      const key = `${day}|${i}`;
      const list = out.get(slot.start) ?? [];
      list.push({
        block: span.block,
        top: Math.max(0, (span.start - start) / (end - start)),
        bottom: Math.max(0, (end - span.end) / (end - start)),
        named: !named.has(key),
      });
      named.add(key);
      out.set(slot.start, list);
    });
  }
  return out;
}

export function SlotGrid() {
  const data = useCalendar((state) => state.data);
  const range = useCalendar((state) => state.dataRange);
  const zone = useCalendar((state) => state.zone);
  const loading = useCalendar((state) => state.loading);
  const working = useSettings((state) => state.settings?.workingHours ?? null);
  // A slot has room for a booking while the queue could start its planned runs at one per lane a minute.
  const lanes = useSettings((state) => state.settings?.maxConcurrentRuns ?? 4);
  const now = useMinuteNow();
  const booking = useCalendar((state) => state.booking);
  const { calendar } = useStores();
  const scroller = useRef<HTMLDivElement>(null);
  const scrolledFor = useRef<string | null>(null);

  const open = useCallback(
    (slot: CalendarSlot, up: boolean) => calendar.getState().openBooking({ start: slot.start, up }),
    [calendar],
  );
  const close = useCallback(() => calendar.getState().openBooking(null), [calendar]);
  const busy = useMemo(
    () => (data ? busyBySlot(data.slots, data.busy ?? [], zone) : new Map<string, CellBusy[]>()),
    [data, zone],
  );

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
                      bookingTime={booking?.start === slot.start ? booking.time : undefined}
                      busy={busy.get(slot.start)}
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
  bookingTime: string | undefined;
  busy: CellBusy[] | undefined;
  onOpen(slot: CalendarSlot, up: boolean): void;
  onClose(): void;
}

const SlotCell = memo(function SlotCell(props: SlotCellProps) {
  const { slot, dayLabel, zone, phase, nowFraction, working, heat, bookable, booking, busy } = props;
  const trigger = useRef<HTMLButtonElement>(null);
  const start = DateTime.fromISO(slot.start, { zone });
  const end = DateTime.fromISO(slot.end, { zone });
  const clock = (iso: string) => formatTime(iso, zone);
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
  for (const item of busy ?? []) {
    parts.push(`busy: ${busyName(item.block)}, ${clock(item.block.start)}–${clock(item.block.end)}`);
  }
  if (working) parts.push('working hours');
  const label = parts.join('; ');

  const classes = ['cal-cell', `cal-${phase}`];
  if (working) classes.push('cal-working');
  if (heat > 0) classes.push('cal-hot');
  if (booking) classes.push('cal-booking');
  if (busy?.length) classes.push('cal-has-busy');
  const tooltip = slot.planned.length
    ? slot.planned.map((item) => `${clock(item.at)} ${item.name}`).join('\n') +
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
      data-busy={busy?.length ? busy.map((item) => busyName(item.block)).join('|') : undefined}
      title={tooltip}
    >
      {busy?.map((item, i) => (
        <span
          key={i}
          className={`cal-busy${item.named ? ' cal-busy-start' : ''}`}
          style={{ top: `${(item.top * 100).toFixed(1)}%`, bottom: `${(item.bottom * 100).toFixed(1)}%` }}
          title={`${busyName(item.block)}, ${clock(item.block.start)}–${clock(item.block.end)}`}
          aria-hidden="true"
          data-testid="cal-busy"
        />
      ))}
      <div className="cal-content">
        {slot.pastCount > 0 ? (
          <span className="cal-runs" aria-hidden="true">
            {tones.ok ? <span className="cal-run cal-run-ok">{tones.ok}</span> : null}
            {tones.failed ? <span className="cal-run cal-run-failed">{tones.failed}</span> : null}
            {tones.other ? <span className="cal-run cal-run-other">{tones.other}</span> : null}
          </span>
        ) : null}
        {slot.plannedCount > 0 ? (
          <PlannedButton slot={slot} zone={zone} label={`${dayLabel}, ${time}`} />
        ) : null}
        {busy
          ?.filter((item) => item.named)
          .map((item, i) => (
            <span key={i} className="cal-busy-name" aria-hidden="true" title={busyName(item.block)}>
              {item.block.summary || 'Busy'}
            </span>
          ))}
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
          initialTime={props.bookingTime}
          onClose={() => {
            props.onClose();
            trigger.current?.focus();
          }}
        />
      ) : null}
    </td>
  );
});

/** The planned count and names; pressing it lists the schedules planned here, each one openable. */
function PlannedButton({ slot, zone, label }: { slot: CalendarSlot; zone: string; label: string }) {
  const { app } = useStores();
  const names = slot.planned.map((item) => item.name);
  const more = slot.plannedCount - slot.planned.length;
  return (
    <DetailsPopover
      className="cal-planned"
      label={`${slot.plannedCount} planned ${label}: show schedules`}
      title={`Planned ${label}`}
      details={(close) => (
        <div className="cal-planned-list">
          <p className="cal-planned-list-head">
            {slot.plannedCount} planned · {label}
          </p>
          {slot.planned.length ? (
            <ul>
              {slot.planned.map((item) => (
                <li key={item.scheduleId}>
                  <span className="cal-planned-at">{formatTime(item.at, zone)}</span>
                  <span className="cal-planned-name">{item.name}</span>
                  <span className="cal-planned-actions">
                    <button
                      type="button"
                      className="button small"
                      aria-label={`Open ${item.name}`}
                      onClick={() => {
                        close();
                        app.getState().openSchedule(item.scheduleId);
                      }}
                    >
                      Open
                    </button>
                    <button
                      type="button"
                      className="button small ghost"
                      aria-label={`Open in editor: ${item.name}`}
                      onClick={() => {
                        close();
                        app.getState().openEditor({ mode: 'edit', id: item.scheduleId });
                      }}
                    >
                      Open in editor
                    </button>
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
          {more > 0 ? <p className="muted small">and {more} more in this slot</p> : null}
        </div>
      )}
    >
      <span className="cal-planned-count">{slot.plannedCount}</span>
      <span className="cal-planned-names">
        {/* a dense schedule is counted per slot, not named: say "planned", not "+N" of nothing */}
        {names.length ? `${names.join(', ')}${more > 0 ? ` +${more}` : ''}` : 'planned'}
      </span>
    </DetailsPopover>
  );
}
