/**
 * Booking (issue 10's layout: one part of the calendar): a small form under a free slot that books a
 * one-time reminder or command there. An empty reminder title takes the name, as its placeholder says.
 */
import { DateTime } from 'luxon';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { toFieldIssues, type CalendarSlot } from '../../../../shared/api';
import { ScheduleFields, type ScheduleInput } from '../../../../shared/domain';
import { formatDay, formatDayTime } from '../../lib/time';
import { useStores } from '../../stores';

type Kind = 'reminder' | 'command';
/** Roughly the booking form's height, to choose whether it opens above or below its slot. */
export const FORM_HEIGHT = 320;
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
  /** Local HH:mm to start from (a suggested free slot). */
  initialTime?: string | undefined;
  onClose(): void;
}

export function BookingForm({ slot, zone, alignEnd, openUp, initialTime, onClose }: BookingFormProps) {
  const { schedules, calendar, app } = useStores();
  const uid = useId();
  const day = DateTime.fromISO(slot.start, { zone }).toISODate()!;
  const [kind, setKind] = useState<Kind>('reminder');
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [time, setTime] = useState(() => initialTime ?? defaultTime(slot, zone));
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
        // An empty title follows the name ("Same as the name"): only the name's own error is shown.
        if (field === 'text' && kind === 'reminder' && !text.trim()) continue;
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
