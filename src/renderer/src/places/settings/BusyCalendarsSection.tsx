/**
 * Settings → Busy calendars: local .ics files whose events are busy blocks on the calendar grid.
 * Adding or removing one saves at once (`settings.update { busyCalendars }`). The list is checked
 * with the schema main uses first; a path main cannot read (missing, a folder, too large, not
 * iCalendar) comes back as an issue on `busyCalendars.N.path`, shown beside the field.
 */
import { useId, useState, type FormEvent } from 'react';
import { toFieldIssues, type FieldIssue } from '../../../../shared/api';
import { BusyCalendars, type BusyCalendar } from '../../../../shared/settings';
import { useSettings, useStores } from '../../stores';
import './data.css';

type Field = 'name' | 'path';

export function BusyCalendarsSection() {
  const { api, settings, app } = useStores();
  const calendars = useSettings((state) => state.settings?.busyCalendars ?? null);
  const uid = useId();
  const [name, setName] = useState('');
  const [file, setFile] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  /** Sends the whole list; issues about entry `index` land on the form's fields. */
  const save = async (next: BusyCalendar[], index: number | null): Promise<boolean> => {
    const place = (issues: FieldIssue[]) => {
      const found: Partial<Record<Field, string>> = {};
      const other: string[] = [];
      for (const issue of issues) {
        const match = /^(?:busyCalendars\.)?(\d+)\.(name|path)$/.exec(issue.path);
        if (match && index !== null && Number(match[1]) === index) found[match[2] as Field] ??= issue.message;
        else
          other.push(
            match ? `${next[Number(match[1])]?.name ?? 'A calendar'}: ${issue.message}` : issue.message,
          );
      }
      setErrors(found);
      setGeneral(other[0] ?? null);
    };
    const checked = BusyCalendars.safeParse(next);
    if (!checked.success) {
      place(toFieldIssues(checked.error));
      return false;
    }
    setPending(true);
    const result = await api.invoke('settings.update', { busyCalendars: checked.data });
    setPending(false);
    if (!result.ok) {
      place(
        result.error.issues?.length ? result.error.issues : [{ path: '', message: result.error.message }],
      );
      return false;
    }
    settings.getState().applyChanged(result.value);
    setErrors({});
    setGeneral(null);
    return true;
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (pending || !calendars) return;
    const next = [...calendars, { name: name.trim(), path: file.trim() }];
    if (await save(next, next.length - 1)) {
      app.getState().notify('success', `Added the busy calendar “${name.trim()}”.`);
      setName('');
      setFile('');
    }
  };

  const remove = async (index: number) => {
    if (pending || !calendars) return;
    const gone = calendars[index];
    if (
      await save(
        calendars.filter((_, i) => i !== index),
        null,
      )
    ) {
      app.getState().notify('success', `Removed the busy calendar “${gone?.name ?? ''}”.`);
    }
  };

  const control = (key: Field) => ({
    id: `${uid}-${key}`,
    'aria-invalid': errors[key] ? true : undefined,
    'aria-describedby': errors[key] ? `${uid}-${key}-error` : `${uid}-${key}-hint`,
  });

  return (
    <section className="card settings-section data-section" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`} className="card-title">
        Busy calendars
      </h2>
      <p className="muted small">
        Local .ics files (exported from your calendar app). Their events show as busy blocks on the calendar,
        and are read again when the file changes.
      </p>
      {calendars === null ? (
        <p className="muted">Loading…</p>
      ) : calendars.length ? (
        <ul className="data-list" aria-label="Busy calendars">
          {calendars.map((calendar, index) => (
            <li key={calendar.path}>
              <span className="data-list-main">
                <strong>{calendar.name}</strong>
                <span className="mono small muted">{calendar.path}</span>
              </span>
              <button
                type="button"
                className="button small ghost"
                aria-label={`Remove ${calendar.name}`}
                disabled={pending}
                onClick={() => void remove(index)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">None yet.</p>
      )}
      <form className="data-form" aria-label="Add a busy calendar" onSubmit={add} noValidate>
        <div className={`field${errors.name ? ' field-invalid' : ''}`}>
          <label htmlFor={`${uid}-name`}>Name</label>
          <input
            {...control('name')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Work"
          />
          {errors.name ? (
            <p id={`${uid}-name-error`} className="field-error">
              {errors.name}
            </p>
          ) : (
            <span id={`${uid}-name-hint`} hidden />
          )}
        </div>
        <div className={`field data-grow${errors.path ? ' field-invalid' : ''}`}>
          <label htmlFor={`${uid}-path`}>Path of the .ics file</label>
          <input
            {...control('path')}
            className="mono"
            value={file}
            onChange={(e) => setFile(e.target.value)}
            placeholder="/home/me/calendars/work.ics"
            spellCheck={false}
            autoComplete="off"
          />
          {errors.path ? (
            <p id={`${uid}-path-error`} className="field-error">
              {errors.path}
            </p>
          ) : (
            <p id={`${uid}-path-hint`} className="field-hint">
              The full path on this computer, as Almanac's engine sees it.
            </p>
          )}
        </div>
        <div className="form-actions">
          <button
            type="submit"
            className="button small primary"
            disabled={pending}
            aria-busy={pending || undefined}
          >
            {pending ? 'Saving…' : 'Add calendar'}
          </button>
        </div>
      </form>
      {general ? (
        <p className="form-status form-status-error" role="alert">
          {general}
        </p>
      ) : null}
    </section>
  );
}
