/**
 * Settings: every field of the settings object, edited as a draft over what main holds and saved as
 * one partial patch. The patch is checked with the same zod schemas main uses (`SettingsPatch`, then
 * the merged `Settings`) before it is sent; issues from either side appear beside their field.
 * Fields not edited here follow `settings.changed` from elsewhere.
 */
import { Info } from 'luxon';
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { toFieldIssues, type FieldIssue } from '../../../../shared/api';
import { applySettingsPatch, SettingsPatch, SLOT_MINUTES, type Settings } from '../../../../shared/settings';
import { useSettings, useStores } from '../../stores';
import { slotLabel } from '../calendar/calendarText';
import { BackupsSection } from './BackupsSection';
import { BusyCalendarsSection } from './BusyCalendarsSection';
import { DataSection } from './DataSection';

type NumberPath = 'maxConcurrentRuns' | 'retention.runsPerSchedule' | 'retention.maxAgeDays';
type BooleanPath = 'notifications.enabled' | 'notifications.silent' | 'closeToTray' | 'launchAtLogin';
type TextPath =
  'notifications.defaultNotify' | 'workingHours.start' | 'workingHours.end' | 'calendar.slotMinutes';
type Path = NumberPath | BooleanPath | TextPath | 'workingHours.days';

interface Values {
  maxConcurrentRuns: string;
  'retention.runsPerSchedule': string;
  'retention.maxAgeDays': string;
  'notifications.enabled': boolean;
  'notifications.defaultNotify': string;
  'notifications.silent': boolean;
  'workingHours.start': string;
  'workingHours.end': string;
  'workingHours.days': number[];
  'calendar.slotMinutes': string;
  closeToTray: boolean;
  launchAtLogin: boolean;
}

const NUMBER_PATHS: readonly NumberPath[] = [
  'maxConcurrentRuns',
  'retention.runsPerSchedule',
  'retention.maxAgeDays',
];
/** Fields in the order they appear, so the first invalid one gets focus. */
const ORDER: readonly Path[] = [
  'maxConcurrentRuns',
  'closeToTray',
  'launchAtLogin',
  'calendar.slotMinutes',
  'workingHours.start',
  'workingHours.end',
  'workingHours.days',
  'notifications.enabled',
  'notifications.defaultNotify',
  'notifications.silent',
  'retention.runsPerSchedule',
  'retention.maxAgeDays',
];

function valuesOf(settings: Settings): Values {
  return {
    maxConcurrentRuns: String(settings.maxConcurrentRuns),
    'retention.runsPerSchedule': String(settings.retention.runsPerSchedule),
    'retention.maxAgeDays': String(settings.retention.maxAgeDays),
    'notifications.enabled': settings.notifications.enabled,
    'notifications.defaultNotify': settings.notifications.defaultNotify,
    'notifications.silent': settings.notifications.silent,
    'workingHours.start': settings.workingHours.start,
    'workingHours.end': settings.workingHours.end,
    'workingHours.days': [...settings.workingHours.days].sort(),
    'calendar.slotMinutes': String(settings.calendar.slotMinutes),
    closeToTray: settings.closeToTray,
    launchAtLogin: settings.launchAtLogin,
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The edited fields that differ from what main holds, as a nested patch; unparsable numbers are errors. */
function toPatch(
  draft: Partial<Values>,
  saved: Values,
): { patch: Record<string, unknown>; errors: Partial<Record<Path, string>> } {
  const patch: Record<string, unknown> = {};
  const errors: Partial<Record<Path, string>> = {};
  for (const [path, value] of Object.entries(draft) as [Path, Values[Path]][]) {
    if (same(value, saved[path])) continue;
    let wire: unknown = value;
    if ((NUMBER_PATHS as readonly string[]).includes(path)) {
      const text = String(value).trim();
      if (!/^-?\d+$/.test(text)) {
        errors[path] = 'Enter a whole number';
        continue;
      }
      wire = Number(text);
    } else if (path === 'calendar.slotMinutes') {
      wire = Number(value);
    }
    const [head, tail] = path.split('.') as [string, string | undefined];
    if (tail === undefined) patch[head] = wire;
    else patch[head] = { ...(patch[head] as object | undefined), [tail]: wire };
  }
  return { patch, errors };
}

/** The patch without the fields at `paths` (or under them), to check the rest on its own. */
function withoutPaths(patch: Record<string, unknown>, paths: string[]): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (paths.some((path) => path === key || (path.startsWith(`${key}.`) && typeof value !== 'object')))
      continue;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const inner = Object.fromEntries(
        Object.entries(value).filter(
          ([name]) => !paths.some((path) => path === `${key}.${name}` || path.startsWith(`${key}.${name}.`)),
        ),
      );
      if (Object.keys(inner).length) rest[key] = inner;
    } else {
      rest[key] = value;
    }
  }
  return rest;
}

/** Puts issues beside their fields (`workingHours.days.3` belongs to the days); the rest is general. */
function placeIssues(issues: FieldIssue[]): { errors: Partial<Record<Path, string>>; other: string[] } {
  const errors: Partial<Record<Path, string>> = {};
  const other: string[] = [];
  for (const issue of issues) {
    const field = ORDER.find((path) => issue.path === path || issue.path.startsWith(`${path}.`));
    if (field) errors[field] ??= issue.message;
    else other.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  return { errors, other };
}

export function SettingsPlace() {
  const { settings: store } = useStores();
  const settings = useSettings((state) => state.settings);
  const loading = useSettings((state) => state.loading);
  const loadError = useSettings((state) => state.error);
  const save = useSettings((state) => state.save);
  const saveError = useSettings((state) => state.saveError);
  const uid = useId();
  const [draft, setDraft] = useState<Partial<Values>>({});
  const [errors, setErrors] = useState<Partial<Record<Path, string>>>({});
  const [general, setGeneral] = useState<string | null>(null);

  useEffect(() => {
    void store.getState().ensureLoaded();
  }, [store]);

  if (!settings) {
    return (
      <div className="place place-settings">
        <header className="place-head">
          <h1>Settings</h1>
        </header>
        {loadError ? (
          <p className="inline-error" role="alert">
            Could not load the settings: {loadError}{' '}
            <button type="button" className="button small" onClick={() => void store.getState().load()}>
              Retry
            </button>
          </p>
        ) : (
          <p className="muted">{loading ? 'Loading…' : ''}</p>
        )}
      </div>
    );
  }

  const saved = valuesOf(settings);
  const values: Values = { ...saved, ...draft };
  const dirty = (Object.keys(draft) as Path[]).filter((path) => !same(draft[path], saved[path]));
  const pending = save === 'pending';

  const edit = <P extends Path>(path: P, value: Values[P]) => {
    setDraft((current) => ({ ...current, [path]: value }));
    setErrors((current) => (current[path] ? { ...current, [path]: undefined } : current));
    setGeneral(null);
    store.getState().resetSave();
  };

  const showErrors = (next: Partial<Record<Path, string>>) => {
    setErrors(next);
    const first = ORDER.find((path) => next[path]);
    if (first) document.getElementById(`${uid}-${first}`)?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending || dirty.length === 0) return;
    const { patch, errors: parseErrors } = toPatch(draft, saved);
    const checked = SettingsPatch.safeParse(patch);
    const issues = checked.success ? [] : toFieldIssues(checked.error);
    // The whole must hold too (end after start): check it with the fields that are fine on their own.
    const sound = SettingsPatch.safeParse(
      withoutPaths(
        patch,
        issues.map((issue) => issue.path),
      ),
    );
    if (sound.success) {
      const merged = applySettingsPatch(settings, sound.data);
      if (!merged.success) issues.push(...toFieldIssues(merged.error));
    }
    const placed = placeIssues(issues);
    const found = { ...placed.errors, ...parseErrors };
    if (Object.keys(found).length || placed.other.length) {
      showErrors(found);
      setGeneral(placed.other[0] ?? 'Check the fields marked in red.');
      return;
    }
    setErrors({});
    setGeneral(null);
    const result = await store.getState().update(patch as SettingsPatch);
    if (result.ok) {
      setDraft({});
      return;
    }
    const fromServer = placeIssues(result.error.issues ?? []);
    showErrors(fromServer.errors);
    setGeneral(fromServer.other[0] ?? null);
  };

  const describedBy = (path: Path, hint?: string) =>
    [errors[path] ? `${uid}-${path}-error` : null, hint ? `${uid}-${path}-hint` : null]
      .filter(Boolean)
      .join(' ') || undefined;

  const errorOf = (path: Path) =>
    errors[path] ? (
      <p id={`${uid}-${path}-error`} className="field-error">
        {errors[path]}
      </p>
    ) : null;

  const hintOf = (path: Path, hint?: string) =>
    hint ? (
      <p id={`${uid}-${path}-hint`} className="field-hint">
        {hint}
      </p>
    ) : null;

  const numberField = (path: NumberPath, label: string, hint?: string, unit?: string) => (
    <div className={`field${errors[path] ? ' field-invalid' : ''}`}>
      <label htmlFor={`${uid}-${path}`}>{label}</label>
      <div className="settings-input-row">
        <input
          id={`${uid}-${path}`}
          type="number"
          inputMode="numeric"
          step={1}
          className="settings-number"
          value={values[path]}
          onChange={(event) => edit(path, event.target.value)}
          aria-invalid={errors[path] ? true : undefined}
          aria-describedby={describedBy(path, hint)}
        />
        {unit ? <span className="muted">{unit}</span> : null}
      </div>
      {errorOf(path)}
      {hintOf(path, hint)}
    </div>
  );

  const switchField = (path: BooleanPath, label: string, hint?: string) => (
    <div className={`field settings-switch${errors[path] ? ' field-invalid' : ''}`}>
      <div className="settings-switch-row">
        <input
          id={`${uid}-${path}`}
          type="checkbox"
          role="switch"
          checked={values[path]}
          onChange={(event) => edit(path, event.target.checked)}
          aria-describedby={describedBy(path, hint)}
        />
        <label htmlFor={`${uid}-${path}`}>{label}</label>
      </div>
      {errorOf(path)}
      {hintOf(path, hint)}
    </div>
  );

  const selectField = (
    path: TextPath,
    label: string,
    options: { value: string; label: string }[],
    hint?: string,
  ) => (
    <div className={`field${errors[path] ? ' field-invalid' : ''}`}>
      <label htmlFor={`${uid}-${path}`}>{label}</label>
      <select
        id={`${uid}-${path}`}
        value={values[path]}
        onChange={(event) => edit(path, event.target.value)}
        aria-invalid={errors[path] ? true : undefined}
        aria-describedby={describedBy(path, hint)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {errorOf(path)}
      {hintOf(path, hint)}
    </div>
  );

  const timeField = (path: 'workingHours.start' | 'workingHours.end', label: string) => (
    <div className={`field${errors[path] ? ' field-invalid' : ''}`}>
      <label htmlFor={`${uid}-${path}`}>{label}</label>
      <input
        id={`${uid}-${path}`}
        type="time"
        value={values[path]}
        onChange={(event) => edit(path, event.target.value)}
        aria-invalid={errors[path] ? true : undefined}
        aria-describedby={describedBy(path)}
      />
      {errorOf(path)}
    </div>
  );

  const days = values['workingHours.days'];
  const weekdayNames = Info.weekdays('short');
  const weekdayLong = Info.weekdays('long');

  const statusText = pending
    ? 'Saving…'
    : save === 'failed'
      ? `Could not save: ${general ?? saveError ?? 'unknown error'}`
      : general
        ? general
        : save === 'saved' && dirty.length === 0
          ? 'Saved.'
          : dirty.length > 0
            ? `${dirty.length} unsaved ${dirty.length === 1 ? 'change' : 'changes'}`
            : 'All changes saved.';
  const statusKind =
    save === 'failed' || general ? 'error' : save === 'saved' && dirty.length === 0 ? 'success' : '';

  return (
    <div className="place place-settings">
      <header className="place-head">
        <h1>Settings</h1>
      </header>
      <form className="settings-form" onSubmit={submit} noValidate aria-label="Settings">
        <div className="settings-grid">
          <Section title="Engine">
            {numberField('maxConcurrentRuns', 'Runs at the same time', 'How many runs may execute at once.')}
            {switchField('closeToTray', 'Keep running in the tray when the window closes')}
            {switchField('launchAtLogin', 'Start Almanac when I log in')}
          </Section>
          <Section title="Calendar">
            {selectField(
              'calendar.slotMinutes',
              'Slot size',
              SLOT_MINUTES.map((minutes) => ({ value: String(minutes), label: slotLabel(minutes) })),
              'The height of one row in the calendar grid.',
            )}
            <div className="settings-pair">
              {timeField('workingHours.start', 'Working hours start')}
              {timeField('workingHours.end', 'Working hours end')}
            </div>
            <fieldset
              className={`field settings-days${errors['workingHours.days'] ? ' field-invalid' : ''}`}
              aria-describedby={describedBy('workingHours.days')}
            >
              <legend>Working days</legend>
              <div className="settings-day-list">
                {weekdayNames.map((short, index) => {
                  const weekday = index + 1;
                  return (
                    <label key={weekday} className="settings-day" title={weekdayLong[index]}>
                      <input
                        type="checkbox"
                        checked={days.includes(weekday)}
                        aria-label={weekdayLong[index]}
                        onChange={(event) =>
                          edit(
                            'workingHours.days',
                            event.target.checked
                              ? [...days, weekday].sort()
                              : days.filter((day) => day !== weekday),
                          )
                        }
                      />
                      <span aria-hidden="true">{short}</span>
                    </label>
                  );
                })}
              </div>
              {errorOf('workingHours.days')}
            </fieldset>
          </Section>
          <Section title="Notifications">
            {switchField('notifications.enabled', 'Show notifications')}
            {selectField(
              'notifications.defaultNotify',
              'Notify new schedules by default',
              [
                { value: 'never', label: 'Never' },
                { value: 'failure', label: 'When a run fails' },
                { value: 'always', label: 'After every run' },
              ],
              'What the editor proposes for a new schedule.',
            )}
            {switchField('notifications.silent', 'Silent (no sound)')}
          </Section>
          <Section title="History">
            {numberField(
              'retention.runsPerSchedule',
              'Runs kept per schedule',
              'Older finished runs are pruned.',
              'runs',
            )}
            {numberField('retention.maxAgeDays', 'Keep runs for', undefined, 'days')}
          </Section>
        </div>
        <div className="settings-actions">
          <button
            type="submit"
            className="button primary"
            disabled={pending || dirty.length === 0}
            aria-busy={pending || undefined}
          >
            {pending ? 'Saving…' : 'Save settings'}
          </button>
          <button
            type="button"
            className="button ghost"
            disabled={pending || dirty.length === 0}
            onClick={() => {
              setDraft({});
              setErrors({});
              setGeneral(null);
              store.getState().resetSave();
            }}
          >
            Revert
          </button>
          <p
            className={`form-status${statusKind ? ` form-status-${statusKind}` : ''}`}
            role="status"
            aria-live="polite"
            data-testid="settings-status"
          >
            {statusText}
          </p>
        </div>
      </form>
      <div className="data-sections">
        <BusyCalendarsSection />
        <DataSection />
        <BackupsSection />
      </div>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="card settings-section" aria-labelledby={id}>
      <h2 id={id} className="card-title">
        {title}
      </h2>
      <div className="settings-fields">{children}</div>
    </section>
  );
}
