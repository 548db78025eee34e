/**
 * The schedule editor: create, edit or duplicate. Checked with the schema main uses before anything
 * is sent; the API's VALIDATION issues land beside the same fields; the first error gets the focus.
 * An edit saves with the version it loaded: a stale one says so and offers "Reload" or "Overwrite".
 * A failed save keeps everything typed.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import type { ApiErrorValue } from '../../../../shared/api';
import type { Schedule } from '../../../../shared/domain';
import { useStores } from '../../stores';
import type { EditorTarget } from '../../stores/app';
import { Button } from '../../ui/Button';
import { Switch } from '../../ui/Switch';
import { TextField } from '../../ui/TextField';
import {
  emptyValues,
  isShownPath,
  issuesToErrors,
  validate,
  valuesFrom,
  type EditorValues,
  type Errors,
} from './formState';
import { RulesSection } from './RulesSection';
import { WhatSection } from './WhatSection';
import { liveWhenErrors, WhenSection } from './WhenSection';
import './editor.css';

type Loaded =
  | { state: 'loading' }
  | { state: 'missing'; message: string }
  | { state: 'ready'; values: EditorValues; id: string | null; version: number | null; original: string };

interface Status {
  kind: 'error' | 'conflict';
  text: string;
}

function focusable(root: Element): HTMLElement | null {
  const candidates = root.matches('input, textarea, button, [role="spinbutton"]')
    ? [root]
    : [...root.querySelectorAll('input, textarea, button, [role="spinbutton"]')];
  for (const candidate of candidates) {
    const element = candidate as HTMLElement;
    if (
      element.tabIndex >= 0 &&
      !element.closest('[aria-hidden="true"]') &&
      !element.hasAttribute('disabled')
    )
      return element;
  }
  return null;
}

export function title(target: EditorTarget, name: string | undefined): string {
  if (target.mode === 'create') return 'New schedule';
  if (target.mode === 'duplicate') return `Duplicate “${name ?? '…'}”`;
  return `Edit “${name ?? '…'}”`;
}

export function ScheduleEditor({ target, onClose }: { target: EditorTarget; onClose(): void }) {
  const { api, schedules, app } = useStores();
  const [loaded, setLoaded] = useState<Loaded>(() =>
    target.mode === 'create'
      ? { state: 'ready', values: valuesFrom(target.preset ?? {}), id: null, version: null, original: '' }
      : { state: 'loading' },
  );
  const [checked, setChecked] = useState(false);
  const [serverErrors, setServerErrors] = useState<Errors>({});
  const [status, setStatus] = useState<Status | null>(null);
  const [pending, setPending] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const focusPending = useRef(false);

  const fromSchedule = useCallback(
    (schedule: Schedule): Loaded => {
      if (target.mode === 'duplicate') {
        const values = valuesFrom({ ...schedule, name: `${schedule.name} (copy)`, enabled: false });
        return { state: 'ready', values, id: null, version: null, original: schedule.name };
      }
      return {
        state: 'ready',
        values: valuesFrom(schedule),
        id: schedule.id,
        version: schedule.version,
        original: schedule.name,
      };
    },
    [target.mode],
  );

  useEffect(() => {
    if (target.mode === 'create') return;
    let cancelled = false;
    void api.invoke('schedules.get', { id: target.id }).then((result) => {
      if (cancelled) return;
      setLoaded(result.ok ? fromSchedule(result.value) : { state: 'missing', message: result.error.message });
    });
    return () => {
      cancelled = true;
    };
  }, [api, target, fromSchedule]);

  const values = loaded.state === 'ready' ? loaded.values : emptyValues();
  const validation = validate(values);
  const errors: Errors = {
    ...liveWhenErrors(values.when),
    ...(checked ? validation.errors : {}),
    ...serverErrors,
  };

  const update = useCallback((recipe: (draft: EditorValues) => void) => {
    setLoaded((current) => {
      if (current.state !== 'ready') return current;
      const next = structuredClone(current.values);
      recipe(next);
      return { ...current, values: next };
    });
    setServerErrors((current) => (Object.keys(current).length ? {} : current));
  }, []);

  // After a save attempt the first error, in the order the form shows them, gets the focus.
  useLayoutEffect(() => {
    const root = form.current;
    if (!focusPending.current || !root) return;
    focusPending.current = false;
    for (const node of root.querySelectorAll('[data-path]')) {
      if (!errors[(node as HTMLElement).dataset.path ?? '']) continue;
      focusable(node)?.focus();
      break;
    }
  });
  const unplaced = Object.entries(errors)
    .filter(([path]) => !isShownPath(path))
    .map(([path, message]) => (path ? `${path}: ${message}` : message));

  const refuse = (error: ApiErrorValue, current: EditorValues) => {
    const found = issuesToErrors(error.issues ?? [], current);
    setServerErrors(found);
    focusPending.current = true;
    setStatus({
      kind: 'error',
      text: Object.keys(found).length
        ? 'Almanac refused some fields; see the messages beside them.'
        : `Could not save: ${error.message}`,
    });
  };

  const save = async (overwrite = false) => {
    if (loaded.state !== 'ready' || pending) return;
    const current = loaded.values;
    const { input, errors: found } = validate(current);
    setChecked(true);
    if (Object.keys(found).length || Object.keys(liveWhenErrors(current.when)).length) {
      setStatus({ kind: 'error', text: 'Check the fields marked in red.' });
      focusPending.current = true;
      return;
    }
    setPending(true);
    setStatus(null);
    let version = loaded.version;
    if (overwrite && loaded.id) {
      const fresh = await api.invoke('schedules.get', { id: loaded.id });
      if (fresh.ok) version = fresh.value.version;
    }
    const result =
      loaded.id && version !== null
        ? await api.invoke('schedules.update', { id: loaded.id, version, patch: input })
        : await api.invoke('schedules.create', input);
    setPending(false);
    if (result.ok) {
      schedules.getState().applyChange({ id: result.value.id, schedule: result.value });
      app.getState().notify('success', `${loaded.id ? 'Saved' : 'Created'} “${result.value.name}”.`);
      onClose();
      return;
    }
    if (result.error.code === 'CONFLICT') {
      setStatus({
        kind: 'conflict',
        text: 'This schedule was changed elsewhere since you opened it. Reload it to see that change (what you typed here is dropped), or overwrite it with what you typed.',
      });
      return;
    }
    if (result.error.code === 'VALIDATION') refuse(result.error, current);
    else setStatus({ kind: 'error', text: `Could not save: ${result.error.message}` });
  };

  const reload = async () => {
    if (loaded.state !== 'ready' || !loaded.id) return;
    const fresh = await api.invoke('schedules.get', { id: loaded.id });
    if (!fresh.ok) {
      setStatus({ kind: 'error', text: `Could not reload: ${fresh.error.message}` });
      return;
    }
    setLoaded(fromSchedule(fresh.value));
    setServerErrors({});
    setStatus(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save();
  };

  if (loaded.state === 'loading') return <p className="muted editor-body">Loading…</p>;
  if (loaded.state === 'missing') {
    return (
      <div className="editor-body">
        <p className="inline-error">Could not open the schedule: {loaded.message}</p>
        <Button onPress={onClose}>Close</Button>
      </div>
    );
  }

  const props = { values, update, errors };
  return (
    <form ref={form} className="editor-form" onSubmit={submit} noValidate aria-label="Schedule">
      <div className="editor-body">
        {unplaced.length ? (
          <ul className="editor-unplaced ui-error" aria-label="Other problems">
            {unplaced.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : null}
        <div className="editor-top">
          <TextField
            label="Name"
            value={values.name}
            onChange={(name) =>
              update((draft) => {
                draft.name = name;
              })
            }
            path="name"
            error={errors.name}
            placeholder="Nightly backup"
            className="grow"
            autoFocus
          />
          <Switch
            isSelected={values.enabled}
            onChange={(enabled) =>
              update((draft) => {
                draft.enabled = enabled;
              })
            }
            path="enabled"
          >
            Enabled
          </Switch>
        </div>
        {target.mode === 'duplicate' ? (
          <p className="ui-hint">A copy of “{loaded.original}”: it stays off until you turn it on.</p>
        ) : null}
        <WhenSection {...props} />
        <WhatSection {...props} />
        <RulesSection {...props} selfId={loaded.id} />
        <TextField
          label="Notes"
          multiline
          value={values.notes}
          onChange={(notes) =>
            update((draft) => {
              draft.notes = notes;
            })
          }
          path="notes"
          error={errors.notes}
        />
      </div>
      <footer className="editor-foot">
        {status?.kind === 'conflict' ? (
          <div className="editor-conflict" role="alert">
            <p>{status.text}</p>
            <div className="editor-actions">
              <Button onPress={() => void reload()}>Reload</Button>
              <Button variant="danger" onPress={() => void save(true)}>
                Overwrite
              </Button>
            </div>
          </div>
        ) : (
          <p className={`form-status${status ? ' form-status-error' : ''}`} role="status" aria-live="polite">
            {status?.text}
          </p>
        )}
        <div className="editor-actions">
          <Button variant="ghost" onPress={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" isDisabled={pending} aria-busy={pending || undefined}>
            {pending ? 'Saving…' : loaded.id ? 'Save changes' : 'Create schedule'}
          </Button>
        </div>
      </footer>
    </form>
  );
}
