/**
 * Calendar: a week (or a day) of slots in the viewer's zone. Ahead of now each slot shows what the
 * planner will run there, behind it the runs recorded, coloured by status; working hours are
 * shaded, busy blocks of the person's calendars drawn, a load heat makes pile-ups visible, and a
 * free slot ahead can be booked. Its parts: the grid (SlotGrid), the legend, booking (BookingForm),
 * the statistics strip, the .ics download and the free-slot finder.
 */
import { useEffect } from 'react';
import { SLOT_MINUTES } from '../../../../shared/settings';
import { rangeOf } from '../../stores/calendar';
import { useCalendar, useSettings, useStores } from '../../stores';
import { rangeTitle, slotLabel } from './calendarText';
import { DetailsPopover } from '../../ui/DetailsPopover';
import { FreeSlotFinder } from './FreeSlotFinder';
import { IcsDownload } from './IcsDownload';
import { Legend } from './Legend';
import { SlotGrid } from './SlotGrid';
import { StatsStrip } from './StatsStrip';
import './calendar.css';

export { slotLabel } from './calendarText';

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
        <span className="push-right cal-head-actions">
          <DetailsPopover
            className="button small"
            label="Suggest a free slot"
            title="Free slots"
            details={(close) => (
              <FreeSlotFinder
                from={range.from}
                to={range.to}
                zone={zone}
                pickLabel="Book"
                onPick={(slot) => {
                  close();
                  calendar.getState().bookAt(slot.start);
                }}
              />
            )}
          >
            Suggest a free slot
          </DetailsPopover>
          <IcsDownload range={range} />
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
        {data?.busyProblems?.length ? (
          <div className="note cal-busy-problems" role="status" data-testid="busy-problems">
            <p>Some busy calendars could not be read, so their blocks are not shown:</p>
            <ul>
              {data.busyProblems.map((problem) => (
                <li key={problem.path}>
                  <strong>{problem.calendar}</strong> <span className="mono small">{problem.path}</span>:{' '}
                  {problem.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <SlotGrid />
        <Legend />
      </section>
    </div>
  );
}
